package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawH2;
import dev.gantry.proxy.testing.RawH2.Block;
import dev.gantry.proxy.testing.RawH2.Frame;
import dev.gantry.proxy.testing.ScriptedBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What an HTTP/1.1 backend receives for an HTTP/2 request, byte for byte: a request line and fields that
 * mean the same as the HTTP/2 request, and nothing for a request HTTP/1.1 could be smuggled by. Such a request
 * is malformed in HTTP/2 (RFC 9113 §8.2, §8.3): its stream is reset with PROTOCOL_ERROR and the backend sees
 * nothing of it.
 */
class Http2TranslationIT {

  /** What the backend read: each request's head and body as raw text, the body until the proxy closed. */
  final List<String> received = new CopyOnWriteArrayList<>();
  ScriptedBackend backend;
  ProxyFixture proxy;
  int port;

  @BeforeEach
  void start() {
    backend = new ScriptedBackend((head, in, out) -> {
      int length = contentLength(head);
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      int c;
      while (body.size() < length && (c = in.read()) != -1) {
        body.write(c);
      }
      received.add(head + body.toString(StandardCharsets.ISO_8859_1));
      if (body.size() == length) {
        out.write("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    });
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: h2}
        spec:
          listeners:
          - {name: https, port: %d, protocol: HTTPS, defaultBackend: app}
          backends: [{name: app, endpoints: [%s]}]
        """.formatted(port, backend.endpoint()));
  }

  @AfterEach
  void stop() {
    proxy.close();
    backend.close();
  }

  @Test
  void aRequestArrivesAsTheSameHttp11RequestWithoutConnectionFields() throws IOException {
    try (RawH2 c = RawH2.connect(port)) {
      c.write(RawH2.headers(1, false, Block.request("POST", "/orders?id=7").add("te", "trailers")
              .add("content-type", "text/plain").add("content-length", "5").add("x-request", "one").bytes()),
          RawH2.frame(RawH2.DATA, RawH2.END_STREAM, 1, "hello".getBytes(StandardCharsets.US_ASCII)));
      assertThat(c.response(1)).isEqualTo("200 ok");
    }
    assertThat(received).hasSize(1);
    String raw = received.get(0);
    assertThat(raw).startsWith("POST /orders?id=7 HTTP/1.1\r\n").endsWith("\r\n\r\nhello");
    List<String> fields = List.of(raw.substring(raw.indexOf("\r\n") + 2, raw.indexOf("\r\n\r\n")).split("\r\n"));
    assertThat(fields).contains("host: localhost", "content-type: text/plain", "content-length: 5",
        "x-request: one");
    // Nothing connection-specific or of the HTTP/2 framing goes on: not TE, not the codec's own fields.
    assertThat(fields).noneMatch(f -> f.regionMatches(true, 0, "te:", 0, 3))
        .noneMatch(f -> f.regionMatches(true, 0, "transfer-encoding:", 0, 18))
        .noneMatch(f -> f.regionMatches(true, 0, "x-http2-", 0, 8))
        .noneMatch(f -> f.startsWith(":"));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("Connection", Block.get("/").add("connection", "close")),
        Arguments.of("Keep-Alive", Block.get("/").add("keep-alive", "timeout=5")),
        Arguments.of("Proxy-Connection", Block.get("/").add("proxy-connection", "keep-alive")),
        Arguments.of("Transfer-Encoding", Block.get("/").add("transfer-encoding", "chunked")),
        Arguments.of("Upgrade", Block.get("/").add("upgrade", "websocket")),
        Arguments.of("TE other than trailers", Block.get("/").add("te", "gzip")),
        Arguments.of("CR LF in a value", Block.get("/").add("x-evil", "a\r\nx-injected: 1")),
        Arguments.of("LF in a value", Block.get("/").add("x-evil", "a\nx-injected: 1")),
        Arguments.of("NUL in a value", Block.get("/").add("x-evil", "a\0b")),
        Arguments.of("CR LF in :path", Block.get("/a\r\nx-injected: 1")),
        Arguments.of("space in :path", Block.get("/a HTTP/1.1\r\nx: y")),
        Arguments.of(":path not starting with /", Block.get("a/b")),
        Arguments.of("absolute :path", Block.get("http://elsewhere/")),
        Arguments.of("empty :path", Block.get("")),
        Arguments.of("CR LF in :method", Block.request("GET / HTTP/1.1\r\nx: y\r\n", "/")),
        Arguments.of("space in :authority", new Block().add(":method", "GET").add(":scheme", "https")
            .add(":path", "/").add(":authority", "a b")),
        Arguments.of("uppercase field name", Block.get("/").add("X-Upper", "1")),
        Arguments.of("space in a field name", Block.get("/").add("x bad", "1")),
        Arguments.of("colon in a field name", Block.get("/").add("x:bad", "1")),
        Arguments.of("unknown pseudo-header", Block.get("/").add(":evil", "1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void aMalformedRequestIsResetAndNeverReachesTheBackend(String what, Block block) throws IOException {
    try (RawH2 c = RawH2.connect(port)) {
      c.write(RawH2.headers(1, true, block.bytes()));
      List<Frame> frames = c.readUntil(RawH2.RST_STREAM, 1);
      assertThat(frames).as(what).anyMatch(f -> (f.type() == RawH2.RST_STREAM && f.stream() == 1
          || f.type() == RawH2.GOAWAY) && f.errorCode() == RawH2.PROTOCOL_ERROR);
    }
    assertThat(backend.requests()).as(what).isZero();
  }

  @Test
  void dataBeyondTheContentLengthResetsTheStreamAndTheBackendGetsNoMoreThanItWasPromised() throws IOException {
    try (RawH2 c = RawH2.connect(port)) {
      c.write(RawH2.headers(1, false, Block.request("POST", "/").add("content-length", "4").bytes()),
          RawH2.frame(RawH2.DATA, 0, 1, "abc".getBytes(StandardCharsets.US_ASCII)));
      c.write(RawH2.frame(RawH2.DATA, RawH2.END_STREAM, 1,
          "defPOST /smuggled HTTP/1.1\r\nhost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      assertThat(c.response(1)).isEqualTo("RST_STREAM " + RawH2.PROTOCOL_ERROR);
    }
    assertThat(received).allSatisfy(r -> assertThat(r).doesNotContain("smuggled"));
  }

  @Test
  void dataShorterThanTheContentLengthResetsTheStreamAndClosesTheBackendConnection() throws IOException {
    try (RawH2 c = RawH2.connect(port)) {
      c.write(RawH2.headers(1, false, Block.request("POST", "/").add("content-length", "10").bytes()),
          RawH2.frame(RawH2.DATA, 0, 1, "sho".getBytes(StandardCharsets.US_ASCII)), RawH2.ping(1));
      c.readUntil(RawH2.PING, 0);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> backend.requests() == 1);
      c.write(RawH2.frame(RawH2.DATA, RawH2.END_STREAM, 1, "rt".getBytes(StandardCharsets.US_ASCII)));
      assertThat(c.response(1)).isEqualTo("RST_STREAM " + RawH2.PROTOCOL_ERROR);
    }
    // The backend got the head and what came before the short end, then its connection closed: the request
    // it was promised never completes, and nothing else is sent on that connection.
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
    assertThat(received.get(0)).endsWith("\r\n\r\nsho");
  }

  static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return 0;
  }
}
