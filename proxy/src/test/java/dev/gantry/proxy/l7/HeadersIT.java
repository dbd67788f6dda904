package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.TestBackend;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the proxy changes on the way: paths, headers it is told to set or remove, and forwarding headers. */
class HeadersIT {

  static TestBackend backend;
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() {
    backend = TestBackend.start("forum").respondWith(req -> {
      FullHttpResponse r = TestBackend.text(HttpResponseStatus.OK, "ok");
      r.headers().set("X-Internal", "secret");
      r.headers().set("Keep-Alive", "timeout=5");
      r.headers().set("Connection", "keep-alive, X-Hop");
      r.headers().set("X-Hop", "1");
      r.headers().set("Vary", "Accept");
      return r;
    });
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: shop, namespace: web}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP}]
          routes:
          - name: community
            paths: [{type: Prefix, value: /community}]
            backends: [{name: forum}]
            rewrite: {pathPrefix: /}
            requestHeaders:
              set: {X-Env: prod}
              add: {X-Tag: gantry}
              remove: [X-Debug]
            responseHeaders:
              set: {Strict-Transport-Security: "max-age=31536000"}
              add: {Vary: Accept-Encoding}
              remove: [X-Internal]
          - name: legacy
            paths: [{type: Prefix, value: /old/}]
            backends: [{name: forum}]
            rewrite: {pathPrefix: /new}
          backends: [{name: forum, endpoints: [%s]}]
        """.formatted(port, backend.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    backend.close();
  }

  @Test
  void rewritesTheMatchedPrefixAndKeepsTheQuery() {
    proxy.get(port, "/community/topics/7?page=2");
    assertThat(backend.last().uri()).isEqualTo("/topics/7?page=2");
    proxy.get(port, "/community");
    assertThat(backend.last().uri()).isEqualTo("/");
    proxy.get(port, "/old/a/b");
    assertThat(backend.last().uri()).isEqualTo("/new/a/b");
  }

  @Test
  void setsAndRemovesHeadersBothWays() {
    var r = proxy.get(port, "/community", "X-Debug", "1", "X-Env", "dev");
    Map<String, String> seen = backend.lastHeaders();
    assertThat(seen).doesNotContainKey("X-Debug").containsEntry("X-Env", "prod");
    assertThat(r.headers().firstValue("strict-transport-security")).hasValue("max-age=31536000");
    assertThat(r.headers().firstValue("x-internal")).isEmpty();
  }

  @Test
  void addsHeaderValuesKeepingThoseAlreadyThereBothWays() {
    var r = proxy.get(port, "/community", "X-Tag", "client");
    assertThat(backend.last().headers().getAll("X-Tag")).containsExactly("client", "gantry");
    assertThat(r.headers().allValues("vary")).containsExactly("Accept", "Accept-Encoding");
    proxy.get(port, "/community");
    assertThat(backend.last().headers().getAll("X-Tag")).containsExactly("gantry");
  }

  @Test
  void addsForwardingHeadersAndKeepsTheHost() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET /community HTTP/1.1\r\nHost: shop.example.com:8080\r\nX-Forwarded-For: 203.0.113.9\r\n"
          + "Forwarded: for=203.0.113.9\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
    }
    Map<String, String> h = backend.lastHeaders();
    assertThat(h).containsEntry("Host", "shop.example.com:8080")
        .containsEntry("X-Forwarded-For", "203.0.113.9, 127.0.0.1")
        .containsEntry("X-Forwarded-Proto", "http")
        .containsEntry("X-Forwarded-Host", "shop.example.com:8080")
        .containsEntry("X-Forwarded-Port", Integer.toString(port))
        .containsEntry("Forwarded", "for=203.0.113.9, for=127.0.0.1;host=\"shop.example.com:8080\";proto=http");
  }

  @Test
  void stripsHopByHopHeadersBothWays() {
    RawHttp.Response r;
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET /community HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, X-Secret-Hop\r\nX-Secret-Hop: 1\r\n"
          + "Keep-Alive: timeout=100\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\nUpgrade: foo\r\n"
          + "X-Kept: yes\r\n\r\n");
      r = c.read();
    }
    Map<String, String> h = backend.lastHeaders();
    assertThat(h).doesNotContainKeys("Connection", "X-Secret-Hop", "Keep-Alive", "Proxy-Connection", "TE",
        "Upgrade").containsEntry("X-Kept", "yes");
    assertThat(r.headers()).doesNotContainKeys("keep-alive", "x-hop");
    assertThat(r.header("connection")).isNull();
    assertThat(r.header("x-backend")).isEqualTo("forum");
  }
}
