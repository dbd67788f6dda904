package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.ScriptedBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backends answering with broken or ambiguous framing: the client gets 502 when nothing was relayed yet and a
 * cut connection otherwise, never the backend's bytes as a valid response; and the backend connection is not
 * reused, which the next request shows by reaching a fresh one.
 */
class ResponseFramingIT {

  /** Responses refused before anything reaches the client. */
  static final Map<String, String> REFUSED_HEADS = Map.ofEntries(
      Map.entry("cl-repeated-different", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde"),
      Map.entry("cl-repeated-same", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"),
      Map.entry("cl-list", "HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\nabc"),
      Map.entry("cl-negative", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nabc"),
      Map.entry("cl-and-te",
          "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
      Map.entry("te-unknown", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc"),
      Map.entry("te-chunked-not-last", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nabc"),
      Map.entry("te-repeated",
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
      Map.entry("te-http10", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
      Map.entry("cl-on-204", "HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\nabc"),
      Map.entry("status-code-four-digits", "HTTP/1.1 2000 OK\r\nContent-Length: 3\r\n\r\nabc"),
      Map.entry("status-code-600", "HTTP/1.1 600 Odd\r\nContent-Length: 3\r\n\r\nabc"),
      Map.entry("status-line-http2", "HTTP/2.0 200 OK\r\nContent-Length: 3\r\n\r\nabc"),
      Map.entry("status-line-lowercase", "http/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"),
      Map.entry("field-space-before-colon", "HTTP/1.1 200 OK\r\nContent-Length : 3\r\n\r\nabc"),
      Map.entry("field-name-with-space", "HTTP/1.1 200 OK\r\nX Y: 1\r\nContent-Length: 3\r\n\r\nabc"),
      Map.entry("field-obs-fold", "HTTP/1.1 200 OK\r\nX-A: 1\r\n 2\r\nContent-Length: 3\r\n\r\nabc"),
      Map.entry("field-value-control-char", "HTTP/1.1 200 OK\r\nX-A: 1\u00012\r\nContent-Length: 3\r\n\r\nabc"),
      Map.entry("bare-lf", "HTTP/1.1 200 OK\nContent-Length: 3\n\nabc"),
      Map.entry("connection-names-content-length",
          "HTTP/1.1 200 OK\r\nConnection: content-length\r\nContent-Length: 3\r\n\r\nabc"),
      Map.entry("garbage-before-status", "XYZ\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"),
      Map.entry("not-http-then-close", "abc"),
      Map.entry("switch-unasked", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\n"
          + "HTTP/1.1 200 OK\r\nX Y: 1\r\nContent-Length: 3\r\n\r\nabc"));

  /** Responses whose head was relayed before the body turned out broken: the client is cut off. */
  static final Map<String, String> CUT_BODIES = Map.of(
      "truncated-body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
      "chunk-size-invalid", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\nabc\r\n0\r\n\r\n",
      "chunk-data-too-long", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n",
      "chunked-truncated", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");

  /** Complete responses followed by bytes no request asked for. */
  static final Map<String, String> TRAILING_BYTES = Map.of(
      "garbage-after-body", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcGARBAGE",
      "second-response-after-body", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
          + "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsneaky",
      "crlf-after-body", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc\r\n");

  static final AtomicInteger CONNECTIONS = new AtomicInteger();
  /** The backend connection each case was answered on. */
  static final Map<String, Integer> BROKEN_BY = new ConcurrentHashMap<>();
  static ScriptedBackend backend;
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() {
    backend = new ScriptedBackend(ResponseFramingIT::serve);
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: framing}
        spec:
          timeouts: {server: 2s}
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: scripted}]
          routes:
          - {name: no-retries, paths: [{type: Prefix, value: /}], backends: [{name: scripted}], retries: 0}
          backends: [{name: scripted, endpoints: [%s]}]
        """.formatted(port, backend.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    backend.close();
  }

  /**
   * Answers each request on a connection by its path: a case's bytes, or for /after a body naming the
   * connection. A case records the connection it broke, so a test can tell whether the proxy used it again.
   */
  private static void serve(String head, InputStream in, OutputStream out) throws IOException {
    int connection = CONNECTIONS.incrementAndGet();
    do {
      String path = head.split(" ")[1].substring(1);
      String answer = switch (path) {
        case "after" -> {
          String body = "connection " + connection;
          yield "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        }
        case "cl-on-head" -> "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        case "te-on-204" -> "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
        default -> REFUSED_HEADS.getOrDefault(path, CUT_BODIES.getOrDefault(path, TRAILING_BYTES.get(path)));
      };
      if (!path.equals("after")) {
        BROKEN_BY.put(path, connection);
      }
      out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      if (path.equals("not-http-then-close") || path.equals("truncated-body") || path.equals("chunked-truncated")) {
        return;
      }
      head = ScriptedBackend.readHead(in);
    } while (head != null);
  }

  static Stream<String> refusedHeads() {
    return REFUSED_HEADS.keySet().stream().sorted();
  }

  static Stream<String> cutBodies() {
    return CUT_BODIES.keySet().stream().sorted();
  }

  static Stream<String> trailingBytes() {
    return TRAILING_BYTES.keySet().stream().sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedHeads")
  void aResponseWithBrokenFramingBecomes502(String name) {
    try (RawHttp client = new RawHttp(port)) {
      RawHttp.Response r = client.send("GET /" + name + " HTTP/1.1\r\nHost: h\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(502);
      assertThat(r.body()).isEqualTo("502 Bad Gateway\n");
    }
    assertTheNextRequestsAvoidTheConnection(name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cutBodies")
  void aBodyThatBreaksAfterTheHeadWasRelayedCutsTheClientOff(String name) throws IOException {
    try (RawHttp client = new RawHttp(port)) {
      client.send("GET /" + name + " HTTP/1.1\r\nHost: h\r\n\r\n");
      String relayed = new String(client.socket().getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      if (relayed.isEmpty()) {
        // The failure came in the same read as the head, which was written but not yet flushed.
        return;
      }
      assertThat(relayed).startsWith("HTTP/1.1 200 OK");
      String body = relayed.substring(relayed.indexOf("\r\n\r\n") + 4);
      if (relayed.toLowerCase().contains("content-length: 10")) {
        assertThat(body.length()).isLessThan(10);
      } else {
        assertThat(relayed).containsIgnoringCase("transfer-encoding: chunked");
        assertThat(body).doesNotEndWith("0\r\n\r\n");
      }
    }
    assertTheNextRequestsAvoidTheConnection(name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("trailingBytes")
  void bytesAfterACompleteResponseAreNeverRelayedAndTheConnectionIsNotReused(String name) throws Exception {
    try (RawHttp client = new RawHttp(port)) {
      RawHttp.Response r = client.send("GET /" + name + " HTTP/1.1\r\nHost: h\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("abc");
      // The same client connection goes on, without the stray bytes.
      RawHttp.Response next = client.send("GET /after HTTP/1.1\r\nHost: h\r\n\r\n").read();
      assertThat(next.body()).startsWith("connection ").isNotEqualTo("connection " + BROKEN_BY.get(name));
    }
    assertTheNextRequestsAvoidTheConnection(name);
  }

  @Test
  void aChunkedBodyAfterA204IsNeverRelayedAndClosesTheBackendConnection() {
    try (RawHttp client = new RawHttp(port)) {
      RawHttp.Response r = client.send("GET /te-on-204 HTTP/1.1\r\nHost: h\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(204);
      assertThat(r.headers()).doesNotContainKey("transfer-encoding");
      RawHttp.Response next = client.send("GET /after HTTP/1.1\r\nHost: h\r\n\r\n").read();
      assertThat(next.body()).startsWith("connection ").isNotEqualTo("connection " + BROKEN_BY.get("te-on-204"));
    }
    assertTheNextRequestsAvoidTheConnection("te-on-204");
  }

  @Test
  void aBodyAfterAResponseToHeadClosesTheBackendConnection() {
    try (RawHttp client = new RawHttp(port)) {
      RawHttp.Response r = client.send("HEAD /cl-on-head HTTP/1.1\r\nHost: h\r\n\r\n").read(true);
      assertThat(r.status()).isEqualTo(200);
    }
    assertTheNextRequestsAvoidTheConnection("cl-on-head");
  }

  /** Requests after a case never reach the backend connection that case broke. */
  private static void assertTheNextRequestsAvoidTheConnection(String name) {
    assertThat(BROKEN_BY).containsKey(name);
    for (int i = 0; i < 3; i++) {
      try (RawHttp client = new RawHttp(port)) {
        RawHttp.Response r = client.send("GET /after HTTP/1.1\r\nHost: h\r\n\r\n").read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).startsWith("connection ").isNotEqualTo("connection " + BROKEN_BY.get(name));
      }
    }
  }
}
