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
 * Query parameter matches and the precedence among conditions on one path (method, then headers, then query
 * parameters), through the proxy to real backends named in their answers.
 */
class QueryMatchIT {

  static TestBackend v1;
  static TestBackend v2;
  static TestBackend v3;
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() {
    v1 = TestBackend.start("v1");
    v2 = TestBackend.start("v2");
    v3 = TestBackend.start("v3");
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: shop, namespace: web}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP}]
          routes:
          - name: whale
            queryParams: [{name: animal, value: whale}]
            backends: [{name: v1}]
          - name: dolphin
            queryParams: [{name: animal, value: dolphin}]
            backends: [{name: v2}]
          - name: dolphin-blue
            queryParams: [{name: animal, value: dolphin}, {name: color, value: blue}]
            backends: [{name: v3}]
          - name: upper
            queryParams: [{name: ANIMAL, value: Whale}]
            backends: [{name: v3}]
          - name: encoded
            queryParams: [{name: "the q", value: "a b/ü+"}]
            backends: [{name: v2}]
          - name: hydra
            queryParams: [{name: animal, value: hydra}]
            backends: [{name: v2}]
          - name: four
            headers: [{name: version, value: four}]
            backends: [{name: v3}]
          - name: path5
            paths: [{value: /path5}]
            backends: [{name: v1}]
          - name: header-on-m
            paths: [{value: /m}]
            headers: [{name: X-A, value: "1"}]
            backends: [{name: v2}]
          - name: method-on-m
            paths: [{value: /m}]
            methods: [POST]
            backends: [{name: v1}]
          backends:
          - {name: v1, endpoints: [%s]}
          - {name: v2, endpoints: [%s]}
          - {name: v3, endpoints: [%s]}
        """.formatted(port, v1.endpoint(), v2.endpoint(), v3.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    v1.close();
    v2.close();
    v3.close();
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource(nullValues = "-", value = {
      "GET,  /?animal=whale,                      -,            v1",
      "GET,  /?animal=dolphin,                    -,            v2",
      "GET,  /?animal=dolphin&color=blue,         -,            v3",
      "GET,  /?color=blue&animal=dolphin,         -,            v3",
      "GET,  /?ANIMAL=Whale,                      -,            v3",
      "GET,  /?animal=whale&otherparam=irrelevant, -,           v1",
      "GET,  /?animal=dolphin&color=yellow,       -,            v2",
      "GET,  /?the%20q=a%20b%2F%C3%BC+,          -,            v2",
      // the first value of a repeated parameter counts
      "GET,  /?animal=dog&animal=whale,           -,            404",
      "GET,  /?animal=whaledolphin,               -,            404",
      "GET,  /?color=blue,                        -,            404",
      "GET,  /?animal,                            -,            404",
      "GET,  /,                                   -,            404",
      // a longer path beats a query parameter, a header beats a query parameter, a method beats a header
      "GET,  /path5?animal=hydra,                 -,            v1",
      "GET,  /?animal=hydra,                      version: four, v3",
      "POST, /m,                                  X-A: 1,       v1",
      "GET,  /m,                                  X-A: 1,       v2",
  })
  void routesByQueryParameters(String method, String target, String header, String expected) {
    RawHttp.Response r;
    try (RawHttp c = new RawHttp(port)) {
      c.send(method + " " + target + " HTTP/1.1\r\nHost: shop\r\n" + (header == null ? "" : header + "\r\n")
          + (method.equals("POST") ? "Content-Length: 0\r\n" : "") + "\r\n");
      r = c.read();
    }
    if (expected.equals("404")) {
      assertThat(r.status()).isEqualTo(404);
    } else {
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("x-backend")).isEqualTo(expected);
    }
  }
}
