package dev.gantry.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.TestBackend;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code --max-connections}: connections past the limit wait in the backlog and are served in turn. */
class ConnectionLimitIT {

  static final int LIMIT = 4;
  static final String OPEN = "gantry_connections_active{lb=\"capped\",listener=\"%s\"}";
  static final String REACHED = "gantry_limit_triggered_total{lb=\"\",listener=\"\",limit=\"max_connections\"}";

  TestBackend backend;
  ProxyFixture proxy;
  int web;
  int api;
  final List<RawHttp> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    backend = TestBackend.start("capped");
    web = Ports.free();
    api = Ports.free();
    proxy = ProxyFixture.startWithMaxConnections(LIMIT).apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: capped}
        spec:
          listeners:
          - {name: web, port: %d, protocol: HTTP, defaultBackend: b}
          - {name: api, port: %d, protocol: HTTP, defaultBackend: b}
          backends: [{name: b, endpoints: [%s]}]
        """.formatted(web, api, backend.endpoint()));
  }

  @AfterEach
  void stop() {
    clients.forEach(RawHttp::close);
    proxy.close();
    backend.close();
  }

  private long open(String listener) {
    return proxy.metric(OPEN.formatted(listener));
  }

  private RawHttp connect(int port) {
    RawHttp c = new RawHttp(port);
    clients.add(c);
    return c;
  }

  @Test
  void theLimitHoldsOverEveryListenerAndAClientBeyondItIsServedOnceAnotherLeaves() {
    RawHttp first = connect(web);
    for (int i = 1; i < LIMIT; i++) {
      connect(i % 2 == 0 ? web : api);
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> open("web") + open("api") == LIMIT);
    assertThat(proxy.metric(REACHED)).isEqualTo(1);
    assertThat(proxy.metric("gantry_connections_accepting")).isZero();

    // The kernel completes the handshake; the proxy does not take the connection while at the limit.
    RawHttp waiting = connect(api).timeout(1000);
    waiting.send("GET /late HTTP/1.1\r\nHost: capped\r\n\r\n");
    try {
      waiting.read();
      throw new AssertionError("a connection past the limit was served");
    } catch (UncheckedIOException expected) {
      // the read timed out: no answer while the limit holds
    }
    assertThat(open("web") + open("api")).isEqualTo(LIMIT);
    assertThat(backend.seen()).isEmpty();

    first.close();
    RawHttp.Response r = waiting.timeout(10_000).read();
    assertThat(r.status()).isEqualTo(200);
    assertThat(backend.last().uri()).isEqualTo("/late");
    assertThat(open("web") + open("api")).isEqualTo(LIMIT);
  }

  @Test
  void acceptingResumesWhenConnectionsClose() {
    for (int i = 0; i < LIMIT; i++) {
      connect(web);
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> proxy.metric("gantry_connections_accepting") == 0);
    clients.forEach(RawHttp::close);
    clients.clear();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> proxy.metric("gantry_connections_accepting") == 1);
    for (int i = 0; i < LIMIT; i++) {
      RawHttp c = connect(i % 2 == 0 ? web : api);
      assertThat(c.send("GET /again HTTP/1.1\r\nHost: capped\r\nConnection: close\r\n\r\n").read().status())
          .isEqualTo(200);
    }
  }
}
