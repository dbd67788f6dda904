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

/** A route's rewrite of the whole path and of the host, as a real backend receives the request. */
class UrlRewriteIT {

  static TestBackend backend;
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() {
    backend = TestBackend.start("static");
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: shop, namespace: web}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP}]
          routes:
          - name: full
            paths: [{value: /full/one}]
            rewrite: {path: /one}
            backends: [{name: static}]
          - name: host
            paths: [{type: Exact, value: /two}]
            rewrite: {host: one.example.org}
            backends: [{name: static}]
          - name: both
            paths: [{value: /prefix/both}]
            rewrite: {pathPrefix: /prefix, host: test.example.org}
            requestHeaders: {set: {X-Header-Set: set-overwrites-values}}
            backends: [{name: static}]
          - name: untouched
            backends: [{name: static}]
          backends: [{name: static, endpoints: [%s]}]
        """.formatted(port, backend.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    backend.close();
  }

  @ParameterizedTest(name = "{0} -> {1} with Host {2}")
  @CsvSource({
      "/full/one/two?a=1,  /one?a=1,     rewrite.example",
      "/full/one,          /one,         rewrite.example",
      "/two,               /two,         one.example.org",
      "/two?x,             /two?x,       one.example.org",
      "/prefix/both/one,   /prefix/one,  test.example.org",
      "/elsewhere,         /elsewhere,   rewrite.example",
  })
  void theBackendGetsTheRewrittenPathAndHost(String target, String uri, String host) {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET " + target + " HTTP/1.1\r\nHost: rewrite.example\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
    }
    TestBackend.Seen seen = backend.last();
    assertThat(seen.uri()).isEqualTo(uri);
    assertThat(seen.headers().getAll("Host")).containsExactly(host);
    // the forwarding headers tell the host the client asked for
    assertThat(seen.headers().get("X-Forwarded-Host")).isEqualTo("rewrite.example");
    if (target.startsWith("/prefix")) {
      assertThat(seen.headers().get("X-Header-Set")).isEqualTo("set-overwrites-values");
    }
  }
}
