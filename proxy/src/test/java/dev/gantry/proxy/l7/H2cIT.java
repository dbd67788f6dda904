package dev.gantry.proxy.l7;

import static dev.gantry.proxy.testing.RawH2.HEADERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.ExternalCommand;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawH2;
import dev.gantry.proxy.testing.RawH2.Block;
import dev.gantry.proxy.testing.RawH2.Frame;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.TestBackend;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 over cleartext on an HTTP listener, with real clients: curl and the JDK client, by prior knowledge and
 * by the HTTP/1.1 Upgrade; many streams on one connection; and HTTP/1.1 beside it, strict as ever, including an
 * Upgrade request that is not well-formed (answered over HTTP/1.1, never with 101).
 */
class H2cIT {

  /** A SETTINGS payload in base64url: SETTINGS_MAX_CONCURRENT_STREAMS 100, SETTINGS_INITIAL_WINDOW_SIZE 65535. */
  static final String SETTINGS = "AAMAAABkAAQAAP__";

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
        metadata: {name: h2c}
        spec:
          timeouts: {httpRequest: 1s}
          listeners:
          - {name: http, port: %d, protocol: HTTP, defaultBackend: app}
          backends: [{name: app, endpoints: [%s]}]
        """.formatted(port, app.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    app.close();
  }

  @Test
  void curlWithPriorKnowledgeSpeaksHttp2() {
    assertThat(curl("--http2-prior-knowledge", "/prior")).isEqualTo("app\n2");
    assertThat(app.seen()).anyMatch(s -> s.uri().equals("/prior"));
  }

  @Test
  void curlUpgradesToHttp2AndTheUpgradedRequestIsAnsweredOnStreamOne() {
    assertThat(curl("--http2", "/upgraded")).isEqualTo("app\n2");
    TestBackend.Seen seen = app.seen().stream().filter(s -> s.uri().equals("/upgraded")).findFirst().orElseThrow();
    // The upgrade's own fields are the client's hop to the proxy, not the backend's.
    assertThat(seen.headers().contains("HTTP2-Settings")).isFalse();
    assertThat(seen.headers().contains("Upgrade")).isFalse();
  }

  @Test
  void theJdkClientUpgradesThenMultiplexesOnTheSameConnection() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpResponse<String> first = client.send(request("/jdk-first"), HttpResponse.BodyHandlers.ofString());
    assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(first.body()).isEqualTo("app");
    List<CompletableFuture<HttpResponse<String>>> more = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      more.add(client.sendAsync(request("/jdk-" + i), HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> f : more) {
      HttpResponse<String> r = f.join();
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(r.statusCode()).isEqualTo(200);
    }
    assertThat(app.seen().stream().filter(s -> s.uri().startsWith("/jdk-")).count()).isEqualTo(9);
  }

  @Test
  void manyStreamsOnOneConnectionWithPriorKnowledgeAreAllAnswered() throws IOException {
    int streams = 10;
    try (RawH2 c = RawH2.connectCleartext(port)) {
      List<byte[]> frames = new ArrayList<>();
      for (int i = 0; i < streams; i++) {
        frames.add(RawH2.headers(2 * i + 1, true, Block.get("/many-" + i).bytes()));
      }
      c.write(RawH2.concat(frames));
      Map<Integer, String> answers = new HashMap<>();
      Frame f;
      while (answers.size() < streams && (f = c.read()) != null) {
        if (f.type() == HEADERS && f.stream() > 0) {
          answers.putIfAbsent(f.stream(), String.valueOf(f.headers().status()));
        }
      }
      assertThat(answers).hasSize(streams).allSatisfy((stream, status) -> assertThat(status).isEqualTo("200"));
    }
    assertThat(app.seen().stream().filter(s -> s.uri().startsWith("/many-")).count()).isEqualTo(streams);
  }

  @Test
  void aPrefaceSplitAcrossSegmentsIsStillRecognised() throws IOException {
    try (RawH2 c = RawH2.connectCleartext(port, 5)) {
      c.write(RawH2.headers(1, true, Block.get("/split").bytes()));
      assertThat(c.response(1)).isEqualTo("200 app");
    }
  }

  @Test
  void http1StillWorksOnTheSameListenerWithKeepAlive() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET /one HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
      c.send("GET /two HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
    }
  }

  @Test
  void anUpgradeRequestWithABodyIsAnsweredOverHttp1() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("POST /with-body HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
          + "HTTP2-Settings: " + SETTINGS + "\r\nContent-Length: 5\r\n\r\nhello");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("app");
    }
    TestBackend.Seen seen = app.seen().stream().filter(s -> s.uri().equals("/with-body")).findFirst().orElseThrow();
    assertThat(seen.body()).isEqualTo("hello");
    // Not passed on as an upgrade: a backend that speaks h2c must not take the client's connection over.
    assertThat(seen.headers().contains("Upgrade")).isFalse();
    assertThat(seen.headers().contains("HTTP2-Settings")).isFalse();
  }

  @Test
  void anUpgradeOnALaterRequestIsAPlainHttp1Request() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
      c.send("GET /later-upgrade HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
          + "HTTP2-Settings: " + SETTINGS + "\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
    }
    TestBackend.Seen seen = app.seen().stream().filter(s -> s.uri().equals("/later-upgrade")).findFirst()
        .orElseThrow();
    assertThat(seen.headers().contains("Upgrade")).isFalse();
  }

  @Test
  void anUpgradeWithSettingsThatAreNotBase64UrlIsAnsweredOverHttp1() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET /bad-settings HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
          + "HTTP2-Settings: not*base64\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
    }
  }

  @Test
  void anUpgradeWithTwoSettingsFieldsIsAnsweredOverHttp1() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET /two-settings HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
          + "HTTP2-Settings: " + SETTINGS + "\r\nHTTP2-Settings: " + SETTINGS + "\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
    }
  }

  @Test
  void anUpgradeRequestWithoutHostIsRefusedAsAnyHttp1RequestWithoutHost() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET /no-host HTTP/1.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
          + "HTTP2-Settings: " + SETTINGS + "\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(400);
    }
    assertThat(app.seen()).noneMatch(s -> s.uri().equals("/no-host"));
  }

  @Test
  void aWellFormedUpgradeIsAnsweredWith101ThenHttp2OnStreamOne() throws IOException {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET /raw-upgrade HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
          + "HTTP2-Settings: " + SETTINGS + "\r\n\r\n");
      byte[] head = c.socket().getInputStream().readNBytes(12);
      assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 101");
    }
  }

  @Test
  void aPrefaceThatStopsBeingOneIsHttp1AndGetsAnHttp1Answer() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("PRI * HTTP/2.0\r\n");
      c.send("\r\nXX\r\n\r\n");
      assertThat(c.read().status()).isBetween(400, 505);
    }
  }

  @Test
  void aPrefaceThatStopsArrivingIsTimedOutLikeARequestHead() {
    try (RawHttp c = new RawHttp(port)) {
      c.timeout(5000).send("PRI * HTTP/2.0\r\n");
      assertThat(c.read().status()).isEqualTo(408);
    }
  }

  private static HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20))
        .build();
  }

  /** The body and, on the last line, the HTTP version curl used. */
  private static String curl(String http2Option, String path) {
    Assumptions.assumeTrue(ExternalCommand.available("curl"), "curl is not installed");
    ExternalCommand.Result r = ExternalCommand.run(List.of("curl", "-s", "--max-time", "20", http2Option,
        "-w", "\n%{http_version}", "http://127.0.0.1:" + port + path), "");
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r.stdout();
  }
}
