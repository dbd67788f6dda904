package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.ScriptedBackend;
import dev.gantry.proxy.testing.TestBackend;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every error status of the API document, each caused for real. */
class ErrorsIT {

  static TestBackend ok;
  static ScriptedBackend silent;
  static ScriptedBackend dying;
  static ScriptedBackend dyingChunked;
  static ServerSocket unaccepting;
  static final List<Socket> backlogFillers = new ArrayList<>();
  static int closedPort;
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() throws IOException {
    ok = TestBackend.start("ok");
    silent = new ScriptedBackend((head, in, out) -> Thread.sleep(60_000));
    dying = new ScriptedBackend((head, in, out) -> {
      out.write(("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(1000))
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
    });
    dyingChunked = new ScriptedBackend((head, in, out) -> {
      out.write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n" + "y".repeat(1000) + "\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
    });
    // A listener that never accepts: once its backlog is full, new connections hang in SYN_SENT.
    unaccepting = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    for (int i = 0; i < 3; i++) {
      Socket s = new Socket();
      try {
        s.connect(unaccepting.getLocalSocketAddress(), 200);
      } catch (IOException e) {
        // the backlog is full: exactly what we want
      }
      backlogFillers.add(s);
    }
    closedPort = Ports.free();
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: errors}
        spec:
          timeouts: {connect: 300ms, server: 700ms, client: 700ms, httpRequest: 500ms}
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: ok}]
          routes:
          - {name: refused, paths: [{type: Prefix, value: /refused}], backends: [{name: refused}], retries: 1}
          - {name: drained, paths: [{type: Prefix, value: /drained}], backends: [{name: drained}]}
          - {name: silent, paths: [{type: Prefix, value: /silent}], backends: [{name: silent}]}
          - {name: slow-route, paths: [{type: Prefix, value: /route-timeout}], backends: [{name: silent}],
             timeout: 200ms}
          - {name: unreachable, paths: [{type: Prefix, value: /unreachable}], backends: [{name: unreachable}],
             retries: 0}
          - {name: dying, paths: [{type: Prefix, value: /dying}], backends: [{name: dying}]}
          - {name: dying-chunked, paths: [{type: Prefix, value: /chunked-dying}], backends: [{name: dying-chunked}]}
          backends:
          - {name: ok, endpoints: [%s]}
          - {name: refused, endpoints: [{address: 127.0.0.1, port: %d}]}
          - {name: drained, endpoints: [{address: 127.0.0.1, port: %d, weight: 0}]}
          - {name: silent, endpoints: [%s]}
          - {name: unreachable, endpoints: [{address: 127.0.0.1, port: %d}]}
          - {name: dying, endpoints: [%s]}
          - {name: dying-chunked, endpoints: [%s]}
        """.formatted(port, ok.endpoint(), closedPort, ok.port(), silent.endpoint(),
        unaccepting.getLocalPort(), dying.endpoint(), dyingChunked.endpoint()));
  }

  @AfterAll
  static void stop() throws IOException {
    proxy.close();
    ok.close();
    silent.close();
    dying.close();
    dyingChunked.close();
    for (Socket s : backlogFillers) {
      s.close();
    }
    unaccepting.close();
  }

  private static RawHttp.Response exchange(String request) {
    try (RawHttp c = new RawHttp(port)) {
      return c.send(request).read();
    }
  }

  @Test
  void malformedRequestIs400() {
    RawHttp.Response r = exchange("THIS IS NOT HTTP\r\n\r\n");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("400 Bad Request\n");
    assertThat(r.header("connection")).isEqualTo("close");
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(2)).untilAsserted(() ->
        assertThat(proxy.accessLog()).anySatisfy(l -> assertThat(l).contains(" 400 ").endsWith("\"<BADREQ>\"")));
  }

  @Test
  void http11WithoutHostIs400() {
    assertThat(exchange("GET / HTTP/1.1\r\n\r\n").status()).isEqualTo(400);
    assertThat(exchange("GET / HTTP/1.0\r\n\r\n").status()).isEqualTo(200);
  }

  @Test
  void oversizedHeadersAre431AndOversizedUrisAre414() {
    String big = "X-Big: " + "a".repeat(40_000) + "\r\n";
    assertThat(exchange("GET / HTTP/1.1\r\nHost: h\r\n" + big + "\r\n").status()).isEqualTo(431);
    assertThat(exchange("GET /" + "u".repeat(10_000) + " HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(414);
    // The listener is fine afterwards.
    assertThat(exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(200);
  }

  @Test
  void slowRequestHeadIs408() throws Exception {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET / HTTP/1.1\r\nHost: h\r\n");
      long start = System.nanoTime();
      Thread.sleep(300);
      c.send("X-Slow: 1\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(408);
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(350L, 3000L);
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void idleKeepAliveConnectionIsClosedSilentlyAfterTheClientTimeout() {
    try (RawHttp c = new RawHttp(port)) {
      assertThat(c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
      c.timeout(5000);
      long start = System.nanoTime();
      assertThat(c.closedByPeer()).isTrue();
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(500L, 3000L);
    }
  }

  @Test
  void clientThatStopsSendingItsBodyGets408() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n0123456789");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(408);
    }
  }

  @Test
  void connectionRefusedIs502AfterRetries() {
    RawHttp.Response r = exchange("GET /refused HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(r.status()).isEqualTo(502);
    assertThat(r.body()).isEqualTo("502 Bad Gateway\n");
    // The access log is written by its own thread: wait for the line.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(2)).untilAsserted(() ->
        assertThat(proxy.accessLog()).anySatisfy(l -> assertThat(l)
            .contains(" refused refused/127.0.0.1:" + closedPort + " ").contains(" 502 ").contains(" SC 1 ")));
  }

  @Test
  void connectTimeoutIs502() {
    long start = System.nanoTime();
    RawHttp.Response r = exchange("GET /unreachable HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(r.status()).isEqualTo(502);
    assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, 3000L);
  }

  @Test
  void backendWithoutUsableEndpointsIs503() {
    assertThat(exchange("GET /drained HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(503);
  }

  @Test
  void serverTimeoutIs504() {
    long start = System.nanoTime();
    RawHttp.Response r = exchange("GET /silent HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(r.status()).isEqualTo(504);
    assertThat(r.body()).isEqualTo("504 Gateway Timeout\n");
    assertThat((System.nanoTime() - start) / 1_000_000).isBetween(600L, 3000L);
  }

  @Test
  void routeTimeoutIs504() {
    long start = System.nanoTime();
    assertThat(exchange("GET /route-timeout HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(504);
    assertThat((System.nanoTime() - start) / 1_000_000).isBetween(150L, 650L);
  }

  @Test
  void backendDyingMidResponseCutsTheClientOffInsteadOfFakingAnEnd() throws IOException {
    for (String path : List.of("/dying", "/chunked-dying")) {
      try (RawHttp c = new RawHttp(port)) {
        c.send("GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n");
        InputStream in = c.socket().getInputStream();
        byte[] all = in.readAllBytes();
        String text = new String(all, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("HTTP/1.1 200 OK");
        if (path.equals("/dying")) {
          assertThat(text).containsIgnoringCase("content-length: 100000");
          assertThat(text.length() - text.indexOf("\r\n\r\n") - 4).isEqualTo(1000);
        } else {
          assertThat(text).containsIgnoringCase("transfer-encoding: chunked").doesNotContain("\r\n0\r\n\r\n");
        }
      }
    }
    // Other routes are unaffected.
    assertThat(exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(200);
  }
}
