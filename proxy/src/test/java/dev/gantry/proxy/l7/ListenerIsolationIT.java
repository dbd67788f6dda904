package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.TestBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The model a Gateway with four HTTP listeners on one port becomes (no hostname, {@code *.example.com},
 * {@code *.foo.example.com}, {@code abc.foo.example.com}, one route each): the Gateway API listener isolation
 * cases, each request served only by the routes of the most specific listener its host matches, the 404 routes
 * at each narrower listener's hostname stopping the fall-through to a wider one's routes.
 */
class ListenerIsolationIT {

  static final String[] LISTENERS = {"empty", "wild", "wild-foo", "abc"};
  static final TestBackend[] BACKENDS = new TestBackend[LISTENERS.length];
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() {
    for (int i = 0; i < LISTENERS.length; i++) {
      BACKENDS[i] = TestBackend.start(LISTENERS[i]);
    }
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: gw-isolation}
        spec:
          listeners: [{name: port-80, port: %d, protocol: HTTP}]
          routes:
          - {name: empty, listeners: [port-80], paths: [{type: Prefix, value: /empty-hostname}],
             backends: [{name: empty}]}
          - {name: wild, listeners: [port-80], hosts: ["*.example.com"],
             paths: [{type: Prefix, value: /wildcard-example-com}], backends: [{name: wild}]}
          - {name: wild-foo, listeners: [port-80], hosts: ["*.foo.example.com"],
             paths: [{type: Prefix, value: /wildcard-foo-example-com}], backends: [{name: wild-foo}]}
          - {name: abc, listeners: [port-80], hosts: [abc.foo.example.com],
             paths: [{type: Prefix, value: /abc-foo-example-com}], backends: [{name: abc}]}
          - {name: isolation-wild, listeners: [port-80], hosts: ["*.example.com"],
             backends: [{name: not-found}]}
          - {name: isolation-wild-foo, listeners: [port-80], hosts: ["*.foo.example.com"],
             backends: [{name: not-found}]}
          - {name: isolation-abc, listeners: [port-80], hosts: [abc.foo.example.com],
             backends: [{name: not-found}]}
          backends:
          - {name: empty, endpoints: [%s]}
          - {name: wild, endpoints: [%s]}
          - {name: wild-foo, endpoints: [%s]}
          - {name: abc, endpoints: [%s]}
          - {name: not-found, fixedResponse: {status: 404}}
        """.formatted(port, endpoint(0), endpoint(1), endpoint(2), endpoint(3)));
  }

  private static String endpoint(int i) {
    return "{address: 127.0.0.1, port: " + BACKENDS[i].port() + "}";
  }

  @AfterAll
  static void stop() {
    proxy.close();
    for (TestBackend b : BACKENDS) {
      b.close();
    }
  }

  @ParameterizedTest(name = "{0}{1} -> {2}")
  @CsvSource({
      "bar.com,             /empty-hostname,           empty",
      "bar.com,             /wildcard-example-com,     404",
      "bar.com,             /wildcard-foo-example-com, 404",
      "bar.com,             /abc-foo-example-com,      404",
      "bar.example.com,     /empty-hostname,           404",
      "bar.example.com,     /wildcard-example-com,     wild",
      "bar.example.com,     /wildcard-foo-example-com, 404",
      "bar.example.com,     /abc-foo-example-com,      404",
      "bar.foo.example.com, /empty-hostname,           404",
      "bar.foo.example.com, /wildcard-example-com,     404",
      "bar.foo.example.com, /wildcard-foo-example-com, wild-foo",
      "bar.foo.example.com, /abc-foo-example-com,      404",
      "abc.foo.example.com, /empty-hostname,           404",
      "abc.foo.example.com, /wildcard-example-com,     404",
      "abc.foo.example.com, /wildcard-foo-example-com, 404",
      "abc.foo.example.com, /abc-foo-example-com,      abc",
  })
  void onlyTheMostSpecificListenersRoutesServeAHost(String host, String path, String expected) {
    RawHttp.Response r;
    try (RawHttp c = new RawHttp(port)) {
      r = c.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();
    }
    if (expected.equals("404")) {
      assertThat(r.status()).isEqualTo(404);
    } else {
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(expected);
    }
  }
}
