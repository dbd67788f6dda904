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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A backend's response head that the proxy has nothing to change in reaches the client as the backend wrote it,
 * byte for byte; a route's response edits, an HTTP/1.0 client or a Connection field from the backend still
 * make the proxy write the head itself.
 */
class VerbatimResponsesIT {

  private static final String HEAD = "HTTP/1.1 200 Fine Thanks\r\nX-Odd:   spaced  \r\nX-Internal: yes\r\n"
      + "content-length: 5\r\n\r\n";

  static ScriptedBackend backend;
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() {
    backend = new ScriptedBackend(VerbatimResponsesIT::serve);
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: verbatim}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP}]
          routes:
          - name: edited
            paths: [{type: Prefix, value: /edited}]
            backends: [{name: scripted}]
            responseHeaders: {add: {X-Edited: "1"}, remove: [X-Internal]}
          - {name: plain, paths: [{type: Prefix, value: /}], backends: [{name: scripted}]}
          backends: [{name: scripted, endpoints: [%s]}]
        """.formatted(port, backend.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    backend.close();
  }

  /** Answers every request on a connection with the same head; /kept and /closing with a Connection field. */
  private static void serve(String head, InputStream in, OutputStream out) throws IOException {
    while (head != null) {
      String answer = head.startsWith("GET /kept ")
          ? "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nX-Odd:  a \r\n"
              + "Content-Length: 5\r\n\r\nhello"
          : head.startsWith("GET /closing ")
          ? "HTTP/1.1 200 OK\r\nConnection: close\r\nX-Odd:  a \r\nContent-Length: 5\r\n\r\nhello"
          : HEAD + "hello";
      out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      if (head.startsWith("GET /closing ")) {
        return;
      }
      head = ScriptedBackend.readHead(in);
    }
  }

  private static String exchange(RawHttp client, String request, int responseBytes) throws IOException {
    client.send(request);
    byte[] got = client.socket().getInputStream().readNBytes(responseBytes);
    return new String(got, StandardCharsets.ISO_8859_1);
  }

  @Test
  void aHeadWithNothingToChangeArrivesAsTheBackendWroteItOnEveryRequestOfAConnection() throws IOException {
    try (RawHttp client = new RawHttp(port).timeout(5000)) {
      for (int i = 0; i < 3; i++) {
        String expected = HEAD + "hello";
        assertThat(exchange(client, "GET /a HTTP/1.1\r\nHost: h\r\n\r\n", expected.length())).isEqualTo(expected);
      }
    }
  }

  @Test
  void aRoutesResponseEditsAreStillMade() {
    try (RawHttp client = new RawHttp(port)) {
      RawHttp.Response r = client.send("GET /edited HTTP/1.1\r\nHost: h\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("X-Edited")).isEqualTo("1");
      assertThat(r.header("X-Internal")).isNull();
      assertThat(r.header("X-Odd")).isEqualTo("spaced");
      assertThat(r.body()).isEqualTo("hello");
    }
  }

  @Test
  void anHttp10ClientGetsAHeadThatClosesTheConnection() throws IOException {
    try (RawHttp client = new RawHttp(port).timeout(5000)) {
      client.send("GET /a HTTP/1.0\r\nHost: h\r\n\r\n");
      String got = new String(client.socket().getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(got).isEqualTo("HTTP/1.1 200 Fine Thanks\r\nX-Odd: spaced\r\nX-Internal: yes\r\n"
          + "content-length: 5\r\nconnection: close\r\n\r\nhello");
    }
  }

  @Test
  void aBackendsKeepAliveFieldsAreLeftOutOfTheBytesRelayed() throws IOException {
    try (RawHttp client = new RawHttp(port).timeout(5000)) {
      String expected = "HTTP/1.1 200 OK\r\nX-Odd:  a \r\nContent-Length: 5\r\n\r\nhello";
      for (int i = 0; i < 2; i++) {
        assertThat(exchange(client, "GET /kept HTTP/1.1\r\nHost: h\r\n\r\n", expected.length()))
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void aBackendThatClosesGetsItsHeadWrittenByTheProxyAndTheClientStaysConnected() throws IOException {
    try (RawHttp client = new RawHttp(port).timeout(5000)) {
      String expected = "HTTP/1.1 200 OK\r\nX-Odd: a\r\nContent-Length: 5\r\n\r\nhello";
      assertThat(exchange(client, "GET /closing HTTP/1.1\r\nHost: h\r\n\r\n", expected.length()))
          .isEqualTo(expected);
      String next = HEAD + "hello";
      assertThat(exchange(client, "GET /a HTTP/1.1\r\nHost: h\r\n\r\n", next.length())).isEqualTo(next);
    }
  }
}
