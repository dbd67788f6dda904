package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.ScriptedBackend;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The routes a Gateway's HTTPRoute {@code timeouts} become (the Gateway API conformance cases): a backend that
 * answers after the route's timeout gets the client a 504, one that answers in time a 200, and {@code 0s} lets
 * a backend take longer than the listener's own {@code server} timeout.
 */
class GatewayTimeoutsIT {

  static ScriptedBackend delaying;
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() {
    // answers after the delay its request asks for ("?delay=1s"), at once without one
    delaying = new ScriptedBackend((head, in, out) -> {
      if (head.startsWith("GET /") && head.substring(0, head.indexOf('\r')).contains("delay=1s")) {
        Thread.sleep(1000);
      }
      out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
    });
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: gw-timeouts}
        spec:
          timeouts: {server: 400ms, client: 5s}
          listeners: [{name: port-80, port: %d, protocol: HTTP}]
          routes:
          - {name: request-timeout, paths: [{type: Prefix, value: /request-timeout}], backends: [{name: echo}],
             timeout: 500ms}
          - {name: disable-request-timeout, paths: [{type: Prefix, value: /disable-request-timeout}],
             backends: [{name: echo}], timeout: 0s}
          - {name: no-timeout, paths: [{type: Prefix, value: /no-timeout}], backends: [{name: echo}]}
          backends:
          - {name: echo, endpoints: [%s]}
        """.formatted(port, delaying.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    delaying.close();
  }

  private static int status(String path) {
    try (RawHttp c = new RawHttp(port)) {
      return c.send("GET " + path + " HTTP/1.1\r\nHost: gw.example\r\n\r\n").read().status();
    }
  }

  @Test
  void aBackendWithinTheRoutesTimeoutAnswers() {
    assertThat(status("/request-timeout")).isEqualTo(200);
  }

  @Test
  void aBackendSlowerThanTheRoutesTimeoutGets504() {
    assertThat(status("/request-timeout?delay=1s")).isEqualTo(504);
  }

  @Test
  void zeroSecondsLetsABackendTakeLongerThanTheListenersServerTimeout() {
    assertThat(status("/disable-request-timeout?delay=1s")).isEqualTo(200);
    // without a route timeout the listener's server timeout (400ms) applies
    assertThat(status("/no-timeout?delay=1s")).isEqualTo(504);
  }
}
