package dev.gantry.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.proxy.log.LogCapture;
import dev.gantry.proxy.testing.H2Backend;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawH2;
import dev.gantry.proxy.testing.RawH2.Block;
import dev.gantry.proxy.testing.TestCertificates;
import dev.gantry.proxy.testing.TestCertificates.Authority;
import dev.gantry.proxy.testing.TestCertificates.KeyType;
import dev.gantry.proxy.testing.TlsHttpBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backends of protocol H2 (HTTP/2 over TLS, ALPN h2), verified against a CA bundle, and HTTP health checks
 * of HTTP/2 backends made over HTTP/2 (h2c with prior knowledge, and h2 over TLS).
 */
class Http2TlsBackendsIT {

  static final Authority CA = TestCertificates.authority("Backend CA");
  static final Authority OTHER_CA = TestCertificates.authority("Unrelated CA");

  @TempDir
  Path dir;
  Path caFile;
  final List<AutoCloseable> closing = new ArrayList<>();
  LogCapture log;
  ProxyFixture proxy = ProxyFixture.start();
  int http = Ports.free();
  int https = Ports.free();

  @BeforeEach
  void start() {
    caFile = CA.write(dir.resolve("ca.pem"));
    log = LogCapture.of("dev.gantry.proxy.tls");
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    for (AutoCloseable c : closing) {
      c.close();
    }
    log.close();
  }

  H2Backend backend(Authority ca) {
    H2Backend b = H2Backend.start("secure", ca == null ? null : ca.issue("backend.internal", KeyType.EC,
        "backend.internal"), 0);
    closing.add(b);
    return b;
  }

  void serve(String protocol, String endpoints, String tls, String healthCheck) {
    proxy.apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: h2tls}
        spec:
          listeners:
          - {name: http, port: %d, protocol: HTTP, defaultBackend: app}
          - {name: https, port: %d, protocol: HTTPS, defaultBackend: app}
          backends:
          - name: app
            protocol: %s
            endpoints: [%s]
        %s%s""".formatted(http, https, protocol, endpoints, tls.isEmpty() ? "" : "    tls: " + tls + "\n",
        healthCheck.isEmpty() ? "" : "    healthCheck: " + healthCheck + "\n"));
  }

  List<String> warnings() {
    return log.messages();
  }

  @Test
  void anHttp2BackendOverTlsGetsSchemeHttpsAndStreamsOfOneVerifiedConnection() {
    H2Backend b = backend(CA);
    serve("H2", b.endpoint(), "{caFile: %s, serverName: backend.internal}".formatted(caFile), "");

    HttpResponse<String> first = proxy.get(http, "/one");
    HttpResponse<String> second = proxy.get(http, "/two");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("secure GET /one 127.0.0.1:" + http + " https body= trailers={}");
    assertThat(second.body()).startsWith("secure GET /two ");
    assertThat(b.connections()).isEqualTo(1);
  }

  @Test
  void anHttp2ClientReachesAnH2BackendWithTrailers() throws java.io.IOException {
    H2Backend b = backend(CA);
    serve("H2", b.endpoint(), "{caFile: %s, serverName: backend.internal}".formatted(caFile), "");

    try (RawH2 c = RawH2.connect(https)) {
      c.write(RawH2.headers(1, false, Block.request("POST", "/grpc").bytes()),
          RawH2.frame(RawH2.DATA, 0, 1, "msg".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
          RawH2.headers(1, true, new Block().add("x-end", "yes").bytes()));
      assertThat(c.response(1)).isEqualTo("200 secure POST /grpc localhost https body=msg trailers={x-end=yes}");
    }
  }

  @Test
  void anH2cClientReachesAnH2Backend() throws Exception {
    H2Backend b = backend(CA);
    serve("H2", b.endpoint(), "{caFile: %s, serverName: backend.internal}".formatted(caFile), "");

    HttpClient h2c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpResponse<String> r = h2c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/h2c"))
        .build(), HttpResponse.BodyHandlers.ofString());

    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(r.body()).isEqualTo("secure GET /h2c 127.0.0.1:" + http + " https body= trailers={}");
  }

  @Test
  void aCertificateFromAnotherCaIsRefusedWith502AndTheReasonIsLogged() {
    H2Backend b = backend(OTHER_CA);
    serve("H2", b.endpoint(), "{caFile: %s, serverName: backend.internal}".formatted(caFile), "");

    assertThat(proxy.get(http, "/").statusCode()).isEqualTo(502);
    assertThat(b.streams()).isZero();
    assertThat(warnings()).anySatisfy(w -> assertThat(w)
        .startsWith("LoadBalancer(h2tls) backend app: TLS handshake with 127.0.0.1:" + b.port() + " failed: ")
        .contains("certificate not issued by a CA of caFile"));
  }

  @Test
  void aTlsBackendThatDoesNotChooseH2IsRefusedWith502AndSaysWhy() {
    TlsHttpBackend http11 = new TlsHttpBackend("http11", CA.issue("backend.internal", KeyType.EC,
        "backend.internal"), null, false);
    closing.add(http11);
    serve("H2", http11.endpoint(), "{caFile: %s, serverName: backend.internal}".formatted(caFile), "");

    assertThat(proxy.get(http, "/").statusCode()).isEqualTo(502);
    assertThat(http11.requests()).isZero();
    assertThat(warnings()).anySatisfy(w -> assertThat(w)
        .contains("failed: the backend did not choose HTTP/2 (ALPN h2), which protocol H2 needs"));
  }

  @Test
  void anHttpHealthCheckOfAnH2cBackendSpeaksHttp2AndFollowsItsHealth() throws Exception {
    H2Backend b = backend(null);
    serve("H2C", b.endpoint(), "", "{protocol: HTTP, path: /healthz, interval: 100ms, timeout: 80ms, "
        + "healthyThreshold: 1, unhealthyThreshold: 1}");

    followsHealth(b);
  }

  @Test
  void anHttpHealthCheckOfAnH2BackendSpeaksHttp2OverTls() throws Exception {
    H2Backend b = backend(CA);
    serve("H2", b.endpoint(), "{caFile: %s, serverName: backend.internal}".formatted(caFile),
        "{protocol: HTTP, path: /healthz, interval: 100ms, timeout: 80ms, healthyThreshold: 1, "
            + "unhealthyThreshold: 1}");

    followsHealth(b);
    assertThat(proxy.admin("/backends")).contains("\"healthCheck\" : \"HTTP/2 /healthz over TLS every 100ms\"");
  }

  private void followsHealth(H2Backend b) throws Exception {
    String label = "127.0.0.1:" + b.port();
    await().atMost(Duration.ofSeconds(5)).until(() -> health(label).equals("HEALTHY"));
    assertThat(b.seen()).anySatisfy(s -> {
      assertThat(s.path()).isEqualTo("/healthz");
      assertThat(String.valueOf(s.headers().get("user-agent"))).isEqualTo("gantry-health-check");
    });
    b.healthy(false);
    await().atMost(Duration.ofSeconds(5)).until(() -> health(label).equals("UNHEALTHY"));
    assertThat(proxy.get(http, "/").statusCode()).isEqualTo(503);
    b.healthy(true);
    await().atMost(Duration.ofSeconds(5)).until(() -> health(label).equals("HEALTHY"));
    assertThat(proxy.get(http, "/").statusCode()).isEqualTo(200);
  }

  String health(String label) throws Exception {
    JsonNode page = new ObjectMapper().readTree(proxy.admin("/backends"));
    for (JsonNode e : page.get("backends").get(0).get("endpoints")) {
      if (e.get("endpoint").asText().equals(label)) {
        return e.get("health").asText();
      }
    }
    throw new AssertionError(label + " not on the page: " + page);
  }
}
