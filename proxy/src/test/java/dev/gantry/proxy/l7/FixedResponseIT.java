package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.GrpcOverRawH2;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawH2;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.TestBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Backends the proxy answers itself with a fixed status, alone and beside a real backend in a weighted split. */
class FixedResponseIT {

  static TestBackend app;
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() {
    app = TestBackend.start("app");
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: shop, namespace: web}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP}]
          routes:
          - name: half
            paths: [{value: /half}]
            backends: [{name: app, weight: 1}, {name: invalid, weight: 1}]
          - name: gone
            paths: [{value: /gone}]
            backends: [{name: invalid}]
          - name: teapot
            paths: [{value: /teapot}]
            backends: [{name: teapot}]
          - name: empty
            paths: [{value: /empty}]
            backends: [{name: empty}]
          backends:
          - {name: app, endpoints: [%s]}
          - {name: invalid, fixedResponse: {status: 500}}
          - {name: teapot, fixedResponse: {status: 418}}
          - {name: empty, fixedResponse: {status: 204}}
        """.formatted(port, app.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    app.close();
  }

  @Test
  void aWeightedSplitGivesTheFixedBackendItsShare() {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      statuses.add(proxy.get(port, "/half").statusCode());
    }
    // smooth weighted round robin over 1:1 alternates
    assertThat(statuses).containsOnly(200, 500);
    assertThat(statuses).filteredOn(s -> s == 500).hasSize(5);
    assertThat(app.seen()).filteredOn(r -> r.uri().equals("/half")).hasSize(5);
  }

  @Test
  void aRouteOnlyToAFixedBackendGetsItsStatusOnAKeptConnectionAndALogLine() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET /gone HTTP/1.1\r\nHost: shop\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(500);
      c.send("GET /teapot HTTP/1.1\r\nHost: shop\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(418);
    }
    Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
      assertThat(proxy.accessLog()).anySatisfy(l -> assertThat(l).contains(" gone invalid/- ").contains(" 500 "));
      assertThat(proxy.accessLog()).anySatisfy(l -> assertThat(l).contains(" teapot teapot/- ").contains(" 418 "));
    });
    assertThat(proxy.metric("gantry_http_requests_total{lb=\"web/shop\",listener=\"http\",route=\"teapot\","
        + "backend=\"teapot\",code=\"4xx\"}")).isEqualTo(1);
  }

  @Test
  void aStatusWithoutBodyIsSentWithoutOneAndTheConnectionStaysUsable() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET /empty HTTP/1.1\r\nHost: shop\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(204);
      assertThat(r.header("content-length")).isNull();
      assertThat(r.body()).isEmpty();
      c.send("GET /empty HTTP/1.1\r\nHost: shop\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(204);
    }
  }

  @Test
  void aRequestWithABodyIsAnsweredWithoutReachingABackend() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("POST /gone HTTP/1.1\r\nHost: shop\r\nContent-Length: 5\r\n\r\nhello");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(500);
      // the unread body would be taken for the next request
      assertThat(r.header("connection")).isEqualTo("close");
    }
    assertThat(app.seen()).noneMatch(r -> r.uri().equals("/gone"));
  }

  @Test
  void aGrpcCallGetsTheGrpcStatusOfTheFixedStatus() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("POST /gone HTTP/1.1\r\nHost: shop\r\nContent-Type: application/grpc\r\nContent-Length: 0\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("grpc-status")).isEqualTo(Integer.toString(GrpcStatus.INTERNAL));
    }
  }

  @Test
  void anHttp2GrpcCallGetsItsStatusInTrailersOnly() {
    List<RawH2.Frame> frames;
    try (RawH2 c = RawH2.connectCleartext(port)) {
      GrpcOverRawH2.start(c, 1, "/gone", true);
      frames = GrpcOverRawH2.framesOf(c, 1);
    }
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).headers().status()).hasToString("200");
    assertThat(frames.get(0).headers().get("grpc-status")).hasToString(Integer.toString(GrpcStatus.INTERNAL));
    assertThat(frames.get(0).headers().get("grpc-message")).hasToString("500 Internal Server Error");
  }
}
