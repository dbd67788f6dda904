package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.ScriptedBackend;
import dev.gantry.proxy.testing.TestBackend;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Connections: client keep-alive and pipelining, backend keep-alive pools, and message framing. */
class KeepAliveIT {

  static TestBackend a;
  static TestBackend b;
  static ScriptedBackend closeDelimited;
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() {
    a = TestBackend.start("a").respondWith(req -> TestBackend.text(HttpResponseStatus.OK, "a:" + req.uri()));
    b = TestBackend.start("b").respondWith(req -> TestBackend.text(HttpResponseStatus.OK, "b:" + req.uri()));
    closeDelimited = new ScriptedBackend((head, in, out) -> {
      out.write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    });
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: ka}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: a}]
          routes:
          - {name: b, paths: [{type: Prefix, value: /b}], backends: [{name: b}]}
          - {name: old, paths: [{type: Prefix, value: /old}], backends: [{name: old}]}
          backends:
          - {name: a, endpoints: [%s]}
          - {name: b, endpoints: [%s]}
          - {name: old, endpoints: [%s]}
        """.formatted(port, a.endpoint(), b.endpoint(), closeDelimited.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    a.close();
    b.close();
    closeDelimited.close();
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /b/2 HTTP/1.1\r\nHost: h\r\n\r\n"
          + "POST /3 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloGET /b/4 HTTP/1.1\r\nHost: h\r\n\r\n");
      assertThat(c.read().body()).isEqualTo("a:/1");
      assertThat(c.read().body()).isEqualTo("b:/b/2");
      assertThat(c.read().body()).isEqualTo("a:/3");
      assertThat(c.read().body()).isEqualTo("b:/b/4");
    }
    assertThat(a.seen()).anySatisfy(s -> assertThat(s.body()).isEqualTo("hello"));
  }

  @Test
  void backendConnectionsAreReused() {
    int before = a.connectionCount();
    for (int i = 0; i < 5; i++) {
      try (RawHttp c = new RawHttp(port)) {
        for (int j = 0; j < 20; j++) {
          assertThat(c.send("GET /x HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
        }
      }
    }
    // 100 requests over 5 client connections, on at most one pooled connection per event loop.
    assertThat(a.connectionCount() - before).isLessThanOrEqualTo(2);
  }

  @Test
  void clientConnectionCloseIsHonoured() {
    try (RawHttp c = new RawHttp(port)) {
      RawHttp.Response r = c.send("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").read();
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void http10ClientsGetKeepAliveOnlyWhenTheyAsk() {
    try (RawHttp c = new RawHttp(port)) {
      RawHttp.Response r = c.send("GET /k HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
      assertThat(r.header("connection")).isEqualTo("keep-alive");
      assertThat(c.send("GET /k2 HTTP/1.0\r\n\r\n").read().body()).isEqualTo("a:/k2");
      assertThat(c.closedByPeer()).isTrue();
    }
  }

  @Test
  void headResponsesHaveNoBody() {
    try (RawHttp c = new RawHttp(port)) {
      RawHttp.Response r = c.send("HEAD /h HTTP/1.1\r\nHost: h\r\n\r\n").read(true);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-length")).isEqualTo("4");
      // The connection is still in sync: the next response is read cleanly.
      assertThat(c.send("GET /after HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("a:/after");
    }
  }

  @Test
  void expectContinueIsAnsweredByTheProxy() throws Exception {
    try (RawHttp c = new RawHttp(port)) {
      c.send("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
      InputStream in = c.socket().getInputStream();
      byte[] interim = new byte[25];
      int n = in.readNBytes(interim, 0, interim.length);
      assertThat(new String(interim, 0, n, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
      c.send("body");
      assertThat(c.read().body()).isEqualTo("a:/upload");
    }
    assertThat(a.last().body()).isEqualTo("body");
    assertThat(a.last().headers().contains("Expect")).isFalse();
  }

  @Test
  void closeDelimitedBackendResponsesAreChunkedForTheClient() {
    try (RawHttp c = new RawHttp(port)) {
      RawHttp.Response r = c.send("GET /old HTTP/1.1\r\nHost: h\r\n\r\n").read();
      assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
      assertThat(r.body()).isEqualTo("until the end");
      // And the client connection stays usable.
      assertThat(c.send("GET /next HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("a:/next");
    }
  }

  @Test
  void manyConcurrentKeepAliveClients() throws Exception {
    int clients = 32;
    Set<String> failures = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Thread[] threads = new Thread[clients];
    for (int i = 0; i < clients; i++) {
      int id = i;
      threads[i] = new Thread(() -> {
        try (RawHttp c = new RawHttp(port)) {
          for (int j = 0; j < 50; j++) {
            String path = (j % 2 == 0 ? "/b/" : "/") + id + "-" + j;
            RawHttp.Response r = c.send("GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n").read();
            if (!r.body().endsWith(path)) {
              failures.add(path + " -> " + r.body());
            }
          }
        } catch (RuntimeException e) {
          failures.add(e.toString());
        }
      });
      threads[i].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).isEmpty();
    Set<String> conns = new HashSet<>();
    b.seen().forEach(s -> conns.add(s.connectionId()));
    assertThat(conns.size()).isLessThan(clients + 2);
  }
}
