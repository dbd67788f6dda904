package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.TestBackend;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile clients run into the limits on client input, each counted, while an ordinary client goes on
 * being served: slow request heads, slow bodies, oversized header blocks, floods of pipelined requests.
 */
class ClientLimitsIT {

  static TestBackend backend;
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() {
    backend = TestBackend.start("limits")
        .respondWith(req -> TestBackend.text(HttpResponseStatus.OK, req.uri()));
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: limits}
        spec:
          timeouts: {httpRequest: 2s, client: 2s, server: 20s}
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: b}]
          backends: [{name: b, endpoints: [%s]}]
        """.formatted(port, backend.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    backend.close();
  }

  private static long triggered(String limit) {
    return proxy.metric("gantry_limit_triggered_total{lb=\"limits\",listener=\"http\",limit=\"" + limit + "\"}");
  }

  private static void normalClientIsServed() {
    assertThat(proxy.get(port, "/normal").body()).isEqualTo("/normal");
  }

  @Test
  void slowHeadsThatKeepSendingAreCutAtTheRequestHeadTimeout() throws Exception {
    long before = triggered("request_head_timeout");
    int n = 40;
    List<RawHttp> slow = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        slow.add(new RawHttp(port).send("GET /slow HTTP/1.1\r\nHost: limits\r\nX-Slow: "));
      }
      // Each keeps sending, so no inactivity timeout would ever cut it: only the head timeout does.
      for (int round = 0; round < 2; round++) {
        Thread.sleep(500);
        for (RawHttp c : slow) {
          c.send("a");
        }
        normalClientIsServed();
      }
      for (RawHttp c : slow) {
        RawHttp.Response r = c.read();
        assertThat(r.status()).isEqualTo(408);
        assertThat(c.closedByPeer()).isTrue();
      }
    } finally {
      slow.forEach(RawHttp::close);
    }
    assertThat(backend.seen()).noneSatisfy(s -> assertThat(s.uri()).isEqualTo("/slow"));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> triggered("request_head_timeout") - before == n);
  }

  @Test
  void slowBodiesAreCutAtTheClientTimeout() throws Exception {
    long before = triggered("client_timeout");
    int n = 40;
    List<RawHttp> slow = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        slow.add(new RawHttp(port).send("POST /upload HTTP/1.1\r\nHost: limits\r\nContent-Length: 100000\r\n\r\n"
            + "x".repeat(10)));
      }
      normalClientIsServed();
      for (RawHttp c : slow) {
        RawHttp.Response r = c.read();
        assertThat(r.status()).isEqualTo(408);
        assertThat(c.closedByPeer()).isTrue();
      }
    } finally {
      slow.forEach(RawHttp::close);
    }
    normalClientIsServed();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> triggered("client_timeout") - before == n);
  }

  @Test
  void headerBlockOverTheLimitIs431AndCounted() {
    long before = triggered("request_head_size");
    String big = "X-Big: " + "b".repeat(HttpPipeline.MAX_REQUEST_HEADERS) + "\r\n";
    try (RawHttp c = new RawHttp(port)) {
      RawHttp.Response r = c.send("GET /big HTTP/1.1\r\nHost: limits\r\n" + big + "\r\n").read();
      assertThat(r.status()).isEqualTo(431);
    }
    normalClientIsServed();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> triggered("request_head_size") - before == 1);
  }

  @Test
  void pipelinedRequestsWithinTheBoundAreAllAnsweredInOrderOnAConnectionThatStaysOpen() {
    int n = 50;
    StringBuilder burst = new StringBuilder();
    for (int i = 0; i < n; i++) {
      burst.append("GET /p").append(i).append(" HTTP/1.1\r\nHost:a\r\n\r\n");
    }
    try (RawHttp c = new RawHttp(port)) {
      c.send(burst.toString());
      for (int i = 0; i < n; i++) {
        RawHttp.Response r = c.read();
        assertThat(r.body()).isEqualTo("/p" + i);
        assertThat(r.header("connection")).isNull();
      }
      assertThat(c.send("GET /after HTTP/1.1\r\nHost:a\r\n\r\n").read().body()).isEqualTo("/after");
    }
  }

  @Test
  void aFloodOfPipelinedRequestsIsAnsweredUpToTheBoundInOrderThenTheConnectionCloses() throws Exception {
    long before = triggered("pipelined_requests");
    int n = 2000;
    StringBuilder flood = new StringBuilder();
    for (int i = 0; i < n; i++) {
      flood.append("GET /").append(i).append(" HTTP/1.1\r\nHost:a\r\n\r\n");
    }
    int answered = 0;
    try (RawHttp c = new RawHttp(port)) {
      c.send(flood.toString());
      RawHttp.Response r;
      do {
        r = c.read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("/" + answered);
        answered++;
      } while (!"close".equals(r.header("connection")));
      // An orderly end (FIN), not a reset: a reset can destroy answers still on their way to the client.
      assertThat(c.socket().getInputStream().read()).isEqualTo(-1);
    }
    assertThat(answered).isGreaterThan(InboundQueue.MAX_WAITING_REQUESTS).isLessThan(n);
    normalClientIsServed();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> triggered("pipelined_requests") - before == 1);
  }
}
