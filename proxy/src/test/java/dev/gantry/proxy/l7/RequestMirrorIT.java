package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.proxy.testing.ExternalCommand;
import dev.gantry.proxy.testing.H2Backend;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.ScriptedBackend;
import dev.gantry.proxy.testing.TestBackend;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A route's mirrors with real backends: each mirror gets a copy of the request (head as the main backend
 * gets it, and body) while the client gets the main backend's answer; a mirror that is down, or that stalls
 * and never reads, neither fails nor holds back the main exchange, and its connection is closed; the share
 * of copies follows the percentage; HTTP/2 clients are mirrored too.
 */
class RequestMirrorIT {

  static TestBackend main;
  static TestBackend shadow;
  static TestBackend second;
  static ScriptedBackend stalled;
  static final CountDownLatch stalledClosed = new CountDownLatch(1);
  static final AtomicInteger stalledBytes = new AtomicInteger();
  static ScriptedBackend closing;
  static H2Backend h2c;
  static ScriptedBackend silent;
  static final CountDownLatch silentClosed = new CountDownLatch(1);
  /** The request lines the closing mirror answered. */
  static final List<String> answeredByClosing = new CopyOnWriteArrayList<>();
  static ProxyFixture proxy;
  static int port;
  static int downPort;

  @BeforeAll
  static void start() {
    main = TestBackend.start("main");
    shadow = TestBackend.start("shadow").respondWith(r -> TestBackend.text(
        io.netty.handler.codec.http.HttpResponseStatus.INTERNAL_SERVER_ERROR, "the mirror's answer"));
    second = TestBackend.start("second");
    // Reads the head, then nothing for a while (the proxy's copy piles up), then reads until the proxy closes.
    stalled = new ScriptedBackend((head, in, out) -> {
      Thread.sleep(1500);
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        stalledBytes.addAndGet(n);
      }
      stalledClosed.countDown();
    });
    // Answers the first request of a connection and keeps it open, then closes it on the next one unanswered,
    // as a server does that times out idle connections just when the next request comes.
    closing = new ScriptedBackend((head, in, out) -> {
      answeredByClosing.add(head.substring(0, head.indexOf('\r')));
      out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      int b;
      while ((b = in.read()) >= 0 && b != '\n') {
        // the next request line arrives: the connection is closed without an answer
      }
    });
    h2c = H2Backend.cleartext("h2c");
    // Takes the whole request and never answers: only the proxy can end the connection.
    silent = new ScriptedBackend((head, in, out) -> {
      while (in.read() >= 0) {
        // reads until the proxy closes
      }
      silentClosed.countDown();
    });
    port = Ports.free();
    downPort = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: shop, namespace: web}
        spec:
          timeouts: {server: 2s}
          listeners: [{name: http, port: %d, protocol: HTTP}]
          routes:
          - name: one
            paths: [{value: /mirror}]
            requestHeaders: {set: {X-Header-Set: set-overwrites-values}, remove: [X-Header-Remove]}
            rewrite: {host: rewritten.example}
            backends: [{name: main}]
            mirrors: [{backend: shadow}]
          - name: two
            paths: [{value: /multiple}]
            backends: [{name: main}]
            mirrors: [{backend: shadow}, {backend: second}]
          - name: down
            paths: [{value: /down}]
            backends: [{name: main}]
            mirrors: [{backend: nothing}]
          - name: stalled
            paths: [{value: /stalled}]
            backends: [{name: main}]
            mirrors: [{backend: stalled}]
          - name: half
            paths: [{value: /half}]
            backends: [{name: main}]
            mirrors: [{backend: second, percent: 50}]
          - name: never
            paths: [{value: /never}]
            backends: [{name: main}]
            mirrors: [{backend: second, percent: 0}]
          - name: h2c
            paths: [{value: /to-h2c}]
            backends: [{name: main}]
            mirrors: [{backend: h2c}]
          - name: silent
            paths: [{value: /silent}]
            backends: [{name: main}]
            mirrors: [{backend: silent}]
          - name: closing
            paths: [{value: /closing}]
            backends: [{name: main}]
            mirrors: [{backend: closing}]
          backends:
          - {name: main, endpoints: [%s]}
          - {name: shadow, endpoints: [%s]}
          - {name: second, endpoints: [%s]}
          - {name: nothing, endpoints: [{address: 127.0.0.1, port: %d}]}
          - {name: stalled, endpoints: [{address: 127.0.0.1, port: %d}]}
          - {name: closing, endpoints: [{address: 127.0.0.1, port: %d}]}
          - {name: h2c, protocol: H2C, endpoints: [%s]}
          - {name: silent, endpoints: [{address: 127.0.0.1, port: %d}]}
        """.formatted(port, main.endpoint(), shadow.endpoint(), second.endpoint(), downPort, stalled.port(),
        closing.port(), h2c.endpoint(), silent.port()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    main.close();
    shadow.close();
    second.close();
    stalled.close();
    closing.close();
    h2c.close();
    silent.close();
  }

  @Test
  void theMainBackendAnswersAndTheMirrorGetsTheSameRequest() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET /mirror/a?id=1 HTTP/1.1\r\nHost: shop.example\r\nX-Header-Remove: x\r\nX-Other: kept\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("main"); // never the mirror's 500
    }
    TestBackend.Seen copy = seenEventually(shadow, "/mirror/a?id=1");
    TestBackend.Seen original = main.seen().stream().filter(s -> s.uri().equals("/mirror/a?id=1")).findFirst()
        .orElseThrow();
    assertThat(copy.method()).isEqualTo("GET");
    // The copy is the request as the main backend got it: Host rewritten, header edits applied.
    assertThat(copy.headers().get("Host")).isEqualTo("rewritten.example").isEqualTo(original.headers().get("Host"));
    assertThat(copy.headers().get("X-Header-Set")).isEqualTo("set-overwrites-values");
    assertThat(copy.headers().contains("X-Header-Remove")).isFalse();
    assertThat(copy.headers().get("X-Other")).isEqualTo("kept");
    assertThat(copy.headers().get("X-Forwarded-Host")).isEqualTo("shop.example");
  }

  @Test
  void everyMirrorOfARouteGetsItsOwnCopy() {
    for (int i = 0; i < 3; i++) {
      try (RawHttp c = new RawHttp(port)) {
        c.send("GET /multiple/" + i + " HTTP/1.1\r\nHost: shop.example\r\n\r\n");
        assertThat(c.read().status()).isEqualTo(200);
      }
    }
    for (int i = 0; i < 3; i++) {
      seenEventually(shadow, "/multiple/" + i);
      seenEventually(second, "/multiple/" + i);
    }
  }

  @Test
  void requestBodiesAreCopiedWholeWithALengthOrChunked() {
    String big = "x".repeat(100_000);
    try (RawHttp c = new RawHttp(port)) {
      c.send("POST /mirror/length HTTP/1.1\r\nHost: shop.example\r\nContent-Length: " + big.length() + "\r\n\r\n"
          + big);
      assertThat(c.read().status()).isEqualTo(200);
      c.send("POST /mirror/chunked HTTP/1.1\r\nHost: shop.example\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
    }
    assertThat(seenEventually(shadow, "/mirror/length").body()).isEqualTo(big);
    assertThat(seenEventually(shadow, "/mirror/chunked").body()).isEqualTo("hello world");
    assertThat(main.seen()).anyMatch(s -> s.uri().equals("/mirror/chunked") && s.body().equals("hello world"));
  }

  @Test
  void aMirrorThatIsDownNeverFailsTheMainExchange() {
    try (RawHttp c = new RawHttp(port)) {
      for (int i = 0; i < 20; i++) {
        c.send("POST /down/" + i + " HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 4\r\n\r\nbody");
        RawHttp.Response r = c.read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("main");
      }
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(proxy.metric(series("down", "nothing", "dropped"))).isEqualTo(20));
    assertThat(proxy.metric(series("down", "nothing", "sent"))).isZero();
  }

  @Test
  void aMirrorThatStallsIsDroppedWithoutHoldingTheClientBackAndItsConnectionIsClosed() throws Exception {
    // Far more than the copy may hold back and the kernel's socket buffers take, while the mirror reads nothing.
    int size = 12 << 20;
    String body = "y".repeat(size);
    try (RawHttp c = new RawHttp(port).timeout(20_000)) {
      c.send("POST /stalled HTTP/1.1\r\nHost: shop.example\r\nContent-Length: " + size + "\r\n\r\n" + body);
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
    }
    assertThat(main.seen()).anyMatch(s -> s.uri().equals("/stalled") && s.body().length() == size);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(proxy.metric(series("stalled", "stalled", "dropped"))).isEqualTo(1));
    assertThat(proxy.metric(series("stalled", "stalled", "sent"))).isZero();
    // The proxy closed the mirror's connection instead of leaving it open with an incomplete copy.
    assertThat(stalledClosed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(stalledBytes.get()).isLessThan(size);
  }

  @Test
  void aMirrorSpeakingHttp2GetsItsCopiesAsStreamsOfOneConnection() {
    try (RawHttp c = new RawHttp(port)) {
      for (int i = 0; i < 5; i++) {
        c.send("POST /to-h2c/" + i + " HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 7\r\n\r\npayload");
        RawHttp.Response r = c.read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("main");
      }
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> h2c.seen().stream()
        .filter(s -> s.path().startsWith("/to-h2c/")).count() == 5);
    assertThat(h2c.seen()).filteredOn(s -> s.path().startsWith("/to-h2c/"))
        .allSatisfy(s -> {
          assertThat(s.method()).isEqualTo("POST");
          assertThat(s.body()).isEqualTo("payload");
          assertThat(s.authority()).isEqualTo("shop.example");
        });
    assertThat(h2c.connections()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(proxy.metric(series("h2c", "h2c", "sent"))).isEqualTo(5));
  }

  @Test
  void aMirrorThatNeverAnswersHasItsConnectionClosedAfterTheServerTimeout() throws Exception {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET /silent HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
    }
    // the listener's server timeout is 2s: the copy's connection is not kept waiting for an answer beyond it
    assertThat(silentClosed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(proxy.metric(series("silent", "silent", "sent"))).isEqualTo(1);
    assertThat(proxy.metric(series("silent", "silent", "dropped"))).isZero();
  }

  @Test
  void aCopyOnAPooledConnectionTheMirrorClosedIsSentAgainOnANewOne() {
    try (RawHttp c = new RawHttp(port)) {
      for (int i = 1; i <= 3; i++) {
        c.send("GET /closing/" + i + " HTTP/1.1\r\nHost: shop.example\r\n\r\n");
        assertThat(c.read().status()).isEqualTo(200);
        String line = "GET /closing/" + i + " HTTP/1.1";
        // one after the other, so that each copy finds the connection the previous one left in the pool
        await().atMost(Duration.ofSeconds(10)).until(() -> answeredByClosing.contains(line));
      }
    }
    assertThat(answeredByClosing).containsExactly("GET /closing/1 HTTP/1.1", "GET /closing/2 HTTP/1.1",
        "GET /closing/3 HTTP/1.1");
    assertThat(proxy.metric(series("closing", "closing", "dropped"))).isZero();
  }

  @Test
  void aboutTheConfiguredShareOfRequestsIsCopied() {
    int requests = 400;
    try (RawHttp c = new RawHttp(port)) {
      for (int i = 0; i < requests; i++) {
        c.send("GET /half/" + i + " HTTP/1.1\r\nHost: shop.example\r\n\r\n");
        assertThat(c.read().status()).isEqualTo(200);
        c.send("GET /never/" + i + " HTTP/1.1\r\nHost: shop.example\r\n\r\n");
        assertThat(c.read().status()).isEqualTo(200);
      }
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(countSeen(second, "/half/")).isEqualTo(proxy.metric(series("half", "second", "sent"))));
    assertThat(proxy.metric(series("half", "second", "dropped"))).isZero();
    long copied = countSeen(second, "/half/");
    assertThat(copied).isBetween(requests * 30L / 100, requests * 70L / 100);
    assertThat(countSeen(second, "/never/")).isZero();
    // Copies reuse the mirror's keep-alive connections, and every copy gives its endpoint slot back.
    assertThat((long) second.connectionCount()).isLessThan(copied);
    String active = "gantry_backend_endpoint_active{lb=\"web/shop\",backend=\"second\",endpoint=\"127.0.0.1:"
        + second.port() + "\"}";
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(proxy.admin("/metrics").lines()).contains(active + " 0"));
  }

  @Test
  void http2ClientsAreMirroredWithTheirBodies() {
    Assumptions.assumeTrue(ExternalCommand.available("curl"), "curl is not installed");
    ExternalCommand.Result r = ExternalCommand.run(List.of("curl", "-s", "--max-time", "20",
        "--http2-prior-knowledge", "-w", "\n%{http_version}", "--data-binary", "from an h2 client",
        "-H", "Host: shop.example", "http://127.0.0.1:" + port + "/mirror/h2"), "");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout()).isEqualTo("main\n2");
    TestBackend.Seen copy = seenEventually(shadow, "/mirror/h2");
    assertThat(copy.method()).isEqualTo("POST");
    assertThat(copy.body()).isEqualTo("from an h2 client");
    assertThat(copy.headers().get("Host")).isEqualTo("rewritten.example");
  }

  private static TestBackend.Seen seenEventually(TestBackend backend, String uri) {
    await().atMost(Duration.ofSeconds(10)).until(() -> backend.seen().stream().anyMatch(s -> s.uri().equals(uri)));
    return backend.seen().stream().filter(s -> s.uri().equals(uri)).findFirst().orElseThrow();
  }

  private static long countSeen(TestBackend backend, String prefix) {
    return backend.seen().stream().filter(s -> s.uri().startsWith(prefix)).count();
  }

  private static String series(String route, String backend, String outcome) {
    return "gantry_http_mirrored_requests_total{lb=\"web/shop\",listener=\"http\",route=\"" + route
        + "\",backend=\"" + backend + "\",outcome=\"" + outcome + "\"}";
  }
}
