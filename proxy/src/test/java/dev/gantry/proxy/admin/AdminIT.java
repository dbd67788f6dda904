package dev.gantry.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.TestBackend;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin port and the access log. */
class AdminIT {

  static TestBackend forum;
  static int port;

  @BeforeAll
  static void start() {
    forum = TestBackend.start("forum");
    port = Ports.free();
  }

  @AfterAll
  static void stop() {
    forum.close();
  }

  static String config() {
    return """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: shop, namespace: web}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP}]
          routes: [{name: community, paths: [{type: Prefix, value: /community}], backends: [{name: forum}]}]
          backends: [{name: forum, endpoints: [%s]}]
        """.formatted(port, forum.endpoint());
  }

  @Test
  void healthAndReadiness() {
    try (ProxyFixture p = ProxyFixture.start()) {
      assertThat(p.get(p.adminPort(), "/healthz").body()).isEqualTo("ok\n");
      assertThat(p.get(p.adminPort(), "/readyz").statusCode()).isEqualTo(503);
      p.apply(config());
      assertThat(p.get(p.adminPort(), "/readyz").statusCode()).isEqualTo(200);
      assertThat(p.get(p.adminPort(), "/nope").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void metricsCountRequestsByRouteBackendAndStatusClass() {
    try (ProxyFixture p = ProxyFixture.start().apply(config())) {
      for (int i = 0; i < 3; i++) {
        assertThat(p.get(port, "/community/x").statusCode()).isEqualTo(200);
      }
      assertThat(p.get(port, "/elsewhere").statusCode()).isEqualTo(404);
      try (RawHttp open = new RawHttp(port)) {
        open.send("GET /community HTTP/1.1\r\nHost: h\r\n\r\n").read();
        String m = p.admin("/metrics");
        assertThat(m).contains("# TYPE gantry_http_requests_total counter")
            .contains("gantry_http_requests_total{lb=\"web/shop\",listener=\"http\",route=\"community\","
                + "backend=\"forum\",code=\"2xx\"} 4")
            .contains("gantry_http_requests_total{lb=\"web/shop\",listener=\"http\",route=\"\",backend=\"\","
                + "code=\"4xx\"} 1")
            .contains("gantry_http_request_duration_seconds_count{lb=\"web/shop\",listener=\"http\"} 5")
            .contains("gantry_http_request_duration_seconds_bucket{lb=\"web/shop\",listener=\"http\",le=\"+Inf\"} 5")
            .contains("gantry_connections_active{lb=\"web/shop\",listener=\"http\"} ")
            .contains("gantry_config_reloads_total{result=\"success\"} 1");
        assertThat(value(m, "gantry_connections_active\\{lb=\"web/shop\",listener=\"http\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(m, "gantry_bytes_sent_total\\{lb=\"web/shop\",listener=\"http\"}")).isGreaterThan(100);
        assertThat(value(m, "gantry_bytes_received_total\\{lb=\"web/shop\",listener=\"http\"}")).isGreaterThan(50);
      }
    }
  }

  @Test
  void accessLogLinesInTheHaproxyLayout() {
    try (ProxyFixture p = ProxyFixture.start().apply(config())) {
      p.get(port, "/community/topic?id=1");
      await().atMost(Duration.ofSeconds(2)).until(() -> !p.accessLog().isEmpty());
      Pattern line = Pattern.compile("127\\.0\\.0\\.1:\\d+ \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d\\.\\d{3}] "
          + "web/shop/http community forum/127\\.0\\.0\\.1:\\d+ \\d+/\\d+/\\d+ 200 0 5 -- 0 "
          + "\"GET /community/topic\\?id=1 HTTP/1\\.1\"");
      assertThat(p.accessLog().get(0)).matches(line);
    }
  }

  @Test
  void accessLogLinesAsJson() throws Exception {
    try (ProxyFixture p = ProxyFixture.start(AccessLogFormat.JSON).apply(config())) {
      try (RawHttp c = new RawHttp(port)) {
        c.send("GET /nowhere\"\\x HTTP/1.1\r\nHost: h\r\n\r\n").read();
      }
      await().atMost(Duration.ofSeconds(2)).until(() -> !p.accessLog().isEmpty());
      JsonNode j = new ObjectMapper().readTree(p.accessLog().get(0));
      assertThat(j.get("status").asInt()).isEqualTo(404);
      assertThat(j.get("lb").asText()).isEqualTo("web/shop");
      assertThat(j.get("uri").asText()).isEqualTo("/nowhere\"\\x");
      assertThat(j.get("termination").asText()).isEqualTo("--");
      assertThat(j.has("time")).isTrue();
    }
  }

  private static long value(String metrics, String seriesRegex) {
    var m = Pattern.compile("(?m)^" + seriesRegex + " (\\d+)").matcher(metrics);
    assertThat(m.find()).as(seriesRegex).isTrue();
    return Long.parseLong(m.group(1));
  }
}
