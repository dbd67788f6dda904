package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.TestBackend;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of docs/http1-strictness.md, sent as raw bytes through a real proxy to a real backend: the status
 * the client gets, that a refusal closes the connection, and how many requests the backend received (none for
 * a refusal, so a request smuggled in the body of a refused one is caught).
 */
class RequestStrictnessIT {

  static TestBackend backend;
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() {
    backend = TestBackend.start("strict");
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: strict}
        spec:
          timeouts: {httpRequest: 2s}
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: strict}]
          backends: [{name: strict, endpoints: [%s]}]
        """.formatted(port, backend.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    backend.close();
  }

  static Stream<StrictnessCases> cases() {
    return StrictnessCases.ALL.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersEachCaseAsTheTableSays(StrictnessCases c) throws InterruptedException {
    int before = backend.seen().size();
    try (RawHttp client = new RawHttp(port)) {
      client.send(c.bytes());
      for (int i = 0; i < Math.max(1, c.forwarded()); i++) {
        assertThat(finalResponse(client).status()).as(c.name()).isEqualTo(c.status());
      }
      if (c.forwarded() == 0) {
        assertThat(client.closedByPeer()).as("connection closed after refusing " + c.name()).isTrue();
        // Whatever the proxy might have sent on would have arrived by now.
        Thread.sleep(50);
      }
    }
    List<TestBackend.Seen> seen = backend.seen().subList(before, backend.seen().size());
    assertThat(seen).as("requests the backend received for " + c.name()).hasSize(c.forwarded());
    assertThat(seen).noneMatch(s -> s.uri().contains("smuggled"));
  }

  @Test
  void aValidRequestAfterRefusedOnesStillWorks() {
    try (RawHttp client = new RawHttp(port)) {
      assertThat(client.send("GET /after HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
    }
  }

  @Test
  void anHttp10ClientNeverGets100Continue() {
    try (RawHttp client = new RawHttp(port)) {
      client.send("POST / HTTP/1.0\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello");
      assertThat(client.read().status()).isEqualTo(200);
    }
    assertThat(backend.last().body()).isEqualTo("hello");
    assertThat(backend.last().headers().contains("Expect")).isFalse();
  }

  @Test
  void anHttp11ClientGets100ContinueThenTheAnswer() {
    try (RawHttp client = new RawHttp(port)) {
      client.send("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
      assertThat(client.read().status()).isEqualTo(100);
      client.send("hello");
      assertThat(client.read().status()).isEqualTo(200);
    }
    assertThat(backend.last().body()).isEqualTo("hello");
  }

  @Test
  void fieldsNamedByConnectionAndOtherHopByHopFieldsAreNotForwarded() {
    try (RawHttp client = new RawHttp(port)) {
      client.send("GET / HTTP/1.1\r\nHost: h\r\nConnection: x-hop\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\n"
          + "Proxy-Connection: keep-alive\r\nTE: trailers\r\nX-End: 2\r\n\r\n");
      assertThat(client.read().status()).isEqualTo(200);
    }
    assertThat(backend.lastHeaders()).doesNotContainKeys("X-Hop", "Keep-Alive", "Proxy-Connection", "TE")
        .containsEntry("X-End", "2");
  }

  @Test
  void anAbsoluteFormTargetIsForwardedInOriginFormWithItsHost() {
    try (RawHttp client = new RawHttp(port)) {
      client.send("GET http://Example.org:80/x?q=1 HTTP/1.1\r\nHost: example.org:80\r\n\r\n");
      assertThat(client.read().status()).isEqualTo(200);
    }
    assertThat(backend.last().uri()).isEqualTo("/x?q=1");
    assertThat(backend.lastHeaders()).containsEntry("Host", "Example.org:80");
  }

  @Test
  void aHeadTricklingInByteByByteIsStillAccepted() throws InterruptedException {
    byte[] request = "GET /slow HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\r\n".getBytes();
    try (RawHttp client = new RawHttp(port)) {
      for (byte b : request) {
        client.send(new byte[] {b});
        Thread.sleep(2);
      }
      assertThat(client.read().status()).isEqualTo(200);
    }
    assertThat(backend.last().uri()).isEqualTo("/slow");
  }

  /** The next final response, past any 100 Continue. */
  private static RawHttp.Response finalResponse(RawHttp client) {
    RawHttp.Response r = client.read();
    while (r.status() >= 100 && r.status() < 200) {
      r = client.read();
    }
    return r;
  }
}
