package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.TestBackend;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Host, path, header and method routing through a real proxy to real backends. */
class RoutingIT {

  static TestBackend site;
  static TestBackend forum;
  static TestBackend forumNext;
  static TestBackend api;
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() {
    site = TestBackend.start("site");
    forum = TestBackend.start("forum");
    forumNext = TestBackend.start("forum-next");
    api = TestBackend.start("api");
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: shop}
        spec:
          listeners:
          - {name: http, port: %d, protocol: HTTP, defaultBackend: site}
          routes:
          - name: community
            hosts: [shop.example.com, "*.shop.example.com"]
            paths: [{type: Prefix, value: /community}]
            backends: [{name: forum, weight: 90}, {name: forum-next, weight: 10}]
          - name: canary
            hosts: [shop.example.com]
            paths: [{type: Prefix, value: /community}]
            headers: [{name: X-Canary, value: "1"}]
            backends: [{name: forum-next}]
          - name: api-writes
            paths: [{type: Regex, value: "/api/v[0-9]+/.*"}]
            methods: [POST, PUT]
            backends: [{name: api}]
          backends:
          - {name: site, endpoints: [%s]}
          - {name: forum, endpoints: [%s]}
          - {name: forum-next, endpoints: [%s]}
          - {name: api, endpoints: [%s]}
        """.formatted(port, site.endpoint(), forum.endpoint(), forumNext.endpoint(), api.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    site.close();
    forum.close();
    forumNext.close();
    api.close();
  }

  @Test
  void routesByHostAndPathAndFallsBackToTheDefaultBackend() {
    assertThat(proxy.get(port, "/community", "Host", "shop.example.com").headers().firstValue("x-backend"))
        .hasValueSatisfying(b -> assertThat(b).startsWith("forum"));
    assertThat(proxy.get(port, "/community/x", "Host", "a.shop.example.com").headers().firstValue("x-backend"))
        .hasValueSatisfying(b -> assertThat(b).startsWith("forum"));
    assertThat(proxy.get(port, "/community", "Host", "other.example.com").body()).isEqualTo("site");
    assertThat(proxy.get(port, "/communityx", "Host", "shop.example.com").body()).isEqualTo("site");
    assertThat(proxy.get(port, "/", "Host", "shop.example.com").body()).isEqualTo("site");
  }

  @Test
  void headerMatchWinsOverTheSameRouteWithoutIt() {
    for (int i = 0; i < 20; i++) {
      assertThat(proxy.get(port, "/community", "Host", "shop.example.com", "X-Canary", "1").body())
          .isEqualTo("forum-next");
    }
  }

  @Test
  void methodsAndRegexesRestrictARoute() throws Exception {
    HttpResponse<String> post = proxy.client().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/api/v2/items"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.body()).isEqualTo("api");
    assertThat(api.last().body()).isEqualTo("{\"a\":1}");
    assertThat(proxy.get(port, "/api/v2/items").body()).isEqualTo("site");
    assertThat(proxy.client().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/x"))
        .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString()).body())
        .isEqualTo("site");
  }

  @Test
  void weightedBackendsSplitTrafficByWeight() {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      String b = proxy.get(port, "/community", "Host", "shop.example.com").body();
      counts.merge(b, 1, Integer::sum);
    }
    // Smooth weighted round robin is exact over every 10 picks, whatever the order of requests.
    assertThat(counts.get("forum")).isBetween(880, 920);
    assertThat(counts.get("forum-next")).isBetween(80, 120);
  }

  @Test
  void noRouteAndNoDefaultBackendIs404() {
    int other = Ports.free();
    try (ProxyFixture p = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: strict}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP}]
          routes: [{name: only, hosts: [a.example.com], backends: [{name: site}]}]
          backends: [{name: site, endpoints: [%s]}]
        """.formatted(other, site.endpoint()))) {
      HttpResponse<String> r = p.get(other, "/", "Host", "b.example.com");
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.body()).isEqualTo("404 Not Found\n");
      assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
      assertThat(p.get(other, "/", "Host", "a.example.com").body()).isEqualTo("site");
    }
  }

  @Test
  void absoluteFormTargetsRouteByTheirAuthority() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET http://shop.example.com/community/x HTTP/1.0\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("x-backend")).startsWith("forum");
    }
    // A Host that disagrees with the authority is refused (RFC 9112 3.2), as HAProxy does.
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET http://shop.example.com/community/x HTTP/1.1\r\nHost: other.example.org\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(400);
    }
  }
}
