package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.TestBackend;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routes with a CORS policy, as Gateway API's CORS filter: preflights are answered by the proxy, responses to
 * allowed origins carry the CORS headers, other origins get none. The policies are the conformance suite's.
 */
class CorsIT {

  static TestBackend backend;
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() {
    backend = TestBackend.start("app");
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: shop, namespace: web}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP}]
          routes:
          - name: listed
            paths: [{type: Prefix, value: /cors-1}]
            cors:
              allowOrigins: ["https://www.foo.com", "https://*.bar.com"]
              allowMethods: [GET, OPTIONS]
              allowHeaders: [x-header-1, x-header-2]
              exposeHeaders: [x-header-3, x-header-4]
              allowCredentials: true
              maxAge: 3600
            backends: [{name: app}]
          - name: any-method
            paths: [{type: Prefix, value: /cors-2}]
            cors: {allowOrigins: ["https://www.foo.com"], allowMethods: ["*"]}
            backends: [{name: app}]
          - name: anything
            paths: [{type: Prefix, value: /cors-any}]
            cors: {allowOrigins: ["*"], allowMethods: ["*"], allowHeaders: ["*"], allowCredentials: true}
            backends: [{name: app}]
          - name: plain
            paths: [{type: Prefix, value: /plain}]
            backends: [{name: app}]
          backends: [{name: app, endpoints: [%s]}]
        """.formatted(port, backend.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    backend.close();
  }

  @BeforeEach
  void forget() {
    backend.seen().clear();
  }

  @Test
  void aPreflightFromAListedOriginIsAnsweredByTheProxyWithThePolicy() {
    HttpResponse<String> r = send("OPTIONS", "/cors-1", "Origin", "https://www.foo.com",
        "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "x-header-1, x-header-2");

    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(header(r, "access-control-allow-origin")).isEqualTo("https://www.foo.com");
    assertThat(header(r, "access-control-allow-methods")).isEqualTo("GET, OPTIONS");
    assertThat(header(r, "access-control-allow-headers")).isEqualTo("x-header-1, x-header-2");
    assertThat(header(r, "access-control-expose-headers")).isEqualTo("x-header-3, x-header-4");
    assertThat(header(r, "access-control-max-age")).isEqualTo("3600");
    assertThat(header(r, "access-control-allow-credentials")).isEqualTo("true");
    assertThat(backend.seen()).isEmpty();
  }

  @Test
  void aWildcardOriginStandsForOneLabelOrMore() {
    for (String origin : new String[] {"https://www.bar.com", "https://xpto.www.bar.com"}) {
      HttpResponse<String> r = send("OPTIONS", "/cors-1", "Origin", origin, "Access-Control-Request-Method", "GET");
      assertThat(header(r, "access-control-allow-origin")).isEqualTo(origin);
    }
    for (String origin : new String[] {"https://bar.com", "http://www.bar.com", "https://foobar.com"}) {
      HttpResponse<String> r = send("OPTIONS", "/cors-1", "Origin", origin, "Access-Control-Request-Method", "GET");
      assertThat(r.statusCode()).isEqualTo(204);
      assertThat(r.headers().map().keySet()).noneMatch(h -> h.startsWith("access-control-"));
    }
    assertThat(backend.seen()).isEmpty();
  }

  @Test
  void theBackendsAnswerToAnAllowedOriginCarriesTheCorsHeadersAndToAnotherNone() {
    HttpResponse<String> allowed = send("GET", "/cors-1", "Origin", "https://www.foo.com");
    HttpResponse<String> other = send("GET", "/cors-1", "Origin", "https://foobar.com");

    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.body()).isEqualTo("app");
    assertThat(header(allowed, "access-control-allow-origin")).isEqualTo("https://www.foo.com");
    assertThat(header(allowed, "access-control-allow-credentials")).isEqualTo("true");
    assertThat(header(allowed, "access-control-expose-headers")).isEqualTo("x-header-3, x-header-4");
    assertThat(allowed.headers().allValues("vary")).contains("Origin");
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.headers().map().keySet()).noneMatch(h -> h.startsWith("access-control-"));
    assertThat(backend.seen()).hasSize(2);
  }

  @Test
  void wildcardMethodsAndHeadersAnswerWhatThePreflightAsksForAndCredentialsOnlyWhenAllowed() {
    HttpResponse<String> post = send("OPTIONS", "/cors-2", "Origin", "https://www.foo.com",
        "Access-Control-Request-Method", "POST");
    HttpResponse<String> put = send("OPTIONS", "/cors-any", "Origin", "https://other.foo.com",
        "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "x-header-1, x-header-2");

    assertThat(header(post, "access-control-allow-methods")).isEqualTo("POST");
    assertThat(header(post, "access-control-allow-origin")).isEqualTo("https://www.foo.com");
    assertThat(post.headers().firstValue("access-control-allow-credentials")).isEmpty();
    assertThat(header(put, "access-control-allow-origin")).isEqualTo("https://other.foo.com");
    assertThat(header(put, "access-control-allow-methods")).isEqualTo("PUT");
    assertThat(header(put, "access-control-allow-headers")).isEqualTo("x-header-1, x-header-2");
    assertThat(header(put, "access-control-allow-credentials")).isEqualTo("true");
    assertThat(backend.seen()).isEmpty();
  }

  @Test
  void anOptionsRequestThatIsNoPreflightAndRoutesWithoutCorsReachTheBackend() {
    HttpResponse<String> options = send("OPTIONS", "/cors-1", "Origin", "https://www.foo.com");
    HttpResponse<String> plain = send("OPTIONS", "/plain", "Origin", "https://www.foo.com",
        "Access-Control-Request-Method", "GET");

    assertThat(options.statusCode()).isEqualTo(200);
    assertThat(header(options, "access-control-allow-origin")).isEqualTo("https://www.foo.com");
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.headers().map().keySet()).noneMatch(h -> h.startsWith("access-control-"));
    assertThat(backend.seen()).extracting(TestBackend.Seen::method).containsExactly("OPTIONS", "OPTIONS");
  }

  private static HttpResponse<String> send(String method, String path, String... headers) {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20)).headers(headers).method(method, HttpRequest.BodyPublishers.noBody()).build();
    try {
      return proxy.client().send(req, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    }
  }

  private static String header(HttpResponse<String> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }
}
