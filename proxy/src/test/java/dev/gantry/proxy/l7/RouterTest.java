package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.LoadResult;
import dev.gantry.model.ModelLoader;
import dev.gantry.model.ValidationMode;
import dev.gantry.proxy.admin.MetricsRegistry;
import dev.gantry.proxy.admin.ProxyMetrics;
import dev.gantry.proxy.config.ConfigCompiler;
import dev.gantry.proxy.config.ListenerRuntime;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Route precedence, as the API document states it, on a compiled routing table. */
class RouterTest {

  private static final String ROUTES = """
      apiVersion: gantry.dev/v1alpha1
      kind: LoadBalancer
      metadata: {name: t}
      spec:
        listeners:
        - {name: http, port: 8080, protocol: HTTP}
        routes:
        - name: any-host-prefix
          paths: [{type: Prefix, value: /api}]
          backends: [{name: b}]
        - name: wildcard
          hosts: ["*.example.com"]
          paths: [{type: Prefix, value: /}]
          backends: [{name: b}]
        - name: deep-wildcard
          hosts: ["*.eu.example.com"]
          backends: [{name: b}]
        - name: exact-host
          hosts: [shop.example.com]
          paths: [{type: Prefix, value: /community}]
          backends: [{name: b}]
        - name: exact-host-exact-path
          hosts: [shop.example.com]
          paths: [{type: Exact, value: /community/rules}]
          backends: [{name: b}]
        - name: exact-host-longer-prefix
          hosts: [shop.example.com]
          paths: [{type: Prefix, value: /community/admin/}]
          backends: [{name: b}]
        - name: canary
          hosts: [shop.example.com]
          paths: [{type: Prefix, value: /community}]
          headers: [{name: X-Canary, value: "1"}]
          backends: [{name: b}]
        - name: regex
          hosts: [shop.example.com]
          paths: [{type: Regex, value: "/item/[0-9]+"}]
          backends: [{name: b}]
        - name: regex-later
          hosts: [shop.example.com]
          paths: [{type: Regex, value: "/item/.*"}]
          backends: [{name: b}]
        - name: post-only
          hosts: [shop.example.com]
          paths: [{type: Exact, value: /cart}]
          methods: [POST]
          backends: [{name: b}]
        - name: shop-anything
          hosts: [shop.example.com]
          backends: [{name: b}]
        backends:
        - name: b
          endpoints: [{address: 127.0.0.1, port: 1}]
      """;

  private static final Router ROUTER = compile(ROUTES);

  static Stream<Arguments> cases() {
    return Stream.of(
        // host, method, path, header X-Canary (or null), expected route (null = none)
        Arguments.of("shop.example.com", "GET", "/community", null, "exact-host"),
        Arguments.of("shop.example.com", "GET", "/community/x", null, "exact-host"),
        Arguments.of("SHOP.Example.com:8080", "GET", "/community", null, "exact-host"),
        Arguments.of("shop.example.com.", "GET", "/community", null, "exact-host"),
        Arguments.of("shop.example.com", "GET", "/communityx", null, "shop-anything"),
        Arguments.of("shop.example.com", "GET", "/community/rules", null, "exact-host-exact-path"),
        Arguments.of("shop.example.com", "GET", "/community/rules/x", null, "exact-host"),
        Arguments.of("shop.example.com", "GET", "/community/admin", null, "exact-host-longer-prefix"),
        Arguments.of("shop.example.com", "GET", "/community/admin/users?x=1", null, "exact-host-longer-prefix"),
        Arguments.of("shop.example.com", "GET", "/community?page=2", null, "exact-host"),
        Arguments.of("shop.example.com", "GET", "/community", "1", "canary"),
        Arguments.of("shop.example.com", "GET", "/community", "2", "exact-host"),
        Arguments.of("shop.example.com", "GET", "/item/42", null, "regex"),
        Arguments.of("shop.example.com", "GET", "/item/abc", null, "regex-later"),
        Arguments.of("shop.example.com", "POST", "/cart", null, "post-only"),
        Arguments.of("shop.example.com", "GET", "/cart", null, "shop-anything"),
        // The exact host's routes do not match /api: the wildcard host group is next, then any host.
        Arguments.of("shop.example.com", "GET", "/api/v1", null, "shop-anything"),
        Arguments.of("a.example.com", "GET", "/anything", null, "wildcard"),
        Arguments.of("a.b.example.com", "GET", "/x", null, "wildcard"),
        Arguments.of("x.eu.example.com", "GET", "/x", null, "deep-wildcard"),
        Arguments.of("example.com", "GET", "/api/x", null, "any-host-prefix"),
        Arguments.of("example.com", "GET", "/x", null, null),
        Arguments.of("other.org", "GET", "/api", null, "any-host-prefix"),
        Arguments.of("other.org", "GET", "/apix", null, null),
        Arguments.of("", "GET", "/api", null, "any-host-prefix"));
  }

  @ParameterizedTest(name = "{1} {0}{2} X-Canary={3} -> {4}")
  @MethodSource("cases")
  void precedence(String host, String method, String path, String canary, String expected) {
    HttpHeaders headers = new DefaultHttpHeaders();
    if (canary != null) {
      headers.set("X-Canary", canary);
    }
    RouteMatch m = ROUTER.route(HostNames.normalize(host), path, HttpMethod.valueOf(method), headers);
    assertThat(m == null ? null : m.route().name()).isEqualTo(expected);
  }

  @Test
  void prefixLengthIsTheMatchedPrefixWithoutTrailingSlash() {
    RouteMatch m = ROUTER.route("shop.example.com", "/community/admin/x", HttpMethod.GET, new DefaultHttpHeaders());
    assertThat(m.prefixLength()).isEqualTo("/community/admin".length());
  }

  @Test
  void prefixSlashMatchesEverythingButLosesToLongerPrefixes() {
    Router r = compile("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: t}
        spec:
          listeners: [{name: http, port: 8080, protocol: HTTP}]
          routes:
          - {name: root, paths: [{type: Prefix, value: /}], backends: [{name: b}]}
          - {name: a, paths: [{type: Prefix, value: /a}], backends: [{name: b}]}
          - {name: regex, paths: [{type: Regex, value: "/r.*"}], backends: [{name: b}]}
          backends: [{name: b, endpoints: [{address: 127.0.0.1, port: 1}]}]
        """);
    assertThat(r.route("h", "/", HttpMethod.GET, new DefaultHttpHeaders()).route().name()).isEqualTo("root");
    assertThat(r.route("h", "/a/b", HttpMethod.GET, new DefaultHttpHeaders()).route().name()).isEqualTo("a");
    assertThat(r.route("h", "/ab", HttpMethod.GET, new DefaultHttpHeaders()).route().name()).isEqualTo("root");
    // Prefix beats Regex, even the shortest prefix.
    assertThat(r.route("h", "/rx", HttpMethod.GET, new DefaultHttpHeaders()).route().name()).isEqualTo("root");
  }

  @Test
  void aRouteWithoutPathsRanksAfterRegexes() {
    Router r = compile("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: t}
        spec:
          listeners: [{name: http, port: 8080, protocol: HTTP}]
          routes:
          - {name: catch-all, backends: [{name: b}]}
          - {name: regex, paths: [{type: Regex, value: "/r.*"}], backends: [{name: b}]}
          backends: [{name: b, endpoints: [{address: 127.0.0.1, port: 1}]}]
        """);
    assertThat(r.route("h", "/rx", HttpMethod.GET, new DefaultHttpHeaders()).route().name()).isEqualTo("regex");
    assertThat(r.route("h", "/x", HttpMethod.GET, new DefaultHttpHeaders()).route().name()).isEqualTo("catch-all");
  }

  @Test
  void earlierRouteWinsATie() {
    Router r = compile("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: t}
        spec:
          listeners: [{name: http, port: 8080, protocol: HTTP}]
          routes:
          - {name: first, paths: [{type: Prefix, value: /x}], backends: [{name: b}]}
          - {name: second, paths: [{type: Prefix, value: /x/}], backends: [{name: b}]}
          backends: [{name: b, endpoints: [{address: 127.0.0.1, port: 1}]}]
        """);
    assertThat(r.route("h", "/x/y", HttpMethod.GET, new DefaultHttpHeaders()).route().name()).isEqualTo("first");
  }

  static Router compile(String yaml) {
    LoadResult result = ModelLoader.load("t.yaml", yaml, ValidationMode.STANDALONE);
    assertThat(result.diagnostics()).isEmpty();
    ListenerRuntime l = new ConfigCompiler(new ProxyMetrics(new MetricsRegistry()), new dev.gantry.proxy.upstream.UpstreamRegistry())
        .compile(result.loadBalancers(), 1).listener(8080);
    return l.router();
  }
}
