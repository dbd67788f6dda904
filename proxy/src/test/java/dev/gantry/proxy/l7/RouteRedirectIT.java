package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawH2;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.TestBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Routes the proxy answers with a redirect itself: the status and the Location of each case, over a real socket. */
class RouteRedirectIT {

  static TestBackend app;
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() {
    app = TestBackend.start("app");
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: shop, namespace: web}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP}]
          routes:
          - name: app
            backends: [{name: app}]
          - name: prefix
            paths: [{value: /original-prefix}]
            redirect: {pathPrefix: /replacement-prefix}
          - name: strip
            paths: [{value: /strip/}]
            redirect: {pathPrefix: /}
          - name: full
            paths: [{value: /full}]
            redirect: {path: /full-path-replacement, status: 301}
          - name: host
            paths: [{value: /host}]
            redirect: {host: example.org, status: 303}
          - name: scheme
            paths: [{value: /scheme-https}]
            redirect: {scheme: https, host: example.org}
          - name: scheme-port
            paths: [{value: /scheme-https-8443}]
            redirect: {scheme: https, port: 8443, status: 307}
          - name: port-80
            paths: [{value: /port-80}]
            redirect: {port: 80, status: 308}
          - name: port-8080
            paths: [{value: /port-8080}]
            redirect: {port: 8080}
          - name: scheme-http-port-443
            paths: [{value: /http-443}]
            redirect: {scheme: http, port: 443}
          - name: see-other
            paths: [{type: Exact, value: /form}]
            methods: [POST]
            redirect: {path: /done, status: 303}
            responseHeaders: {set: {Cache-Control: no-store}, add: {X-Redirected-By: gantry}}
          backends: [{name: app, endpoints: [%s]}]
        """.formatted(port, app.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    app.close();
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({
      // no scheme and no port: the listener's scheme and port
      "/original-prefix/lemon?a=1, 302, http://shop.example.com:{port}/replacement-prefix/lemon?a=1",
      "/original-prefix,           302, http://shop.example.com:{port}/replacement-prefix",
      "/strip/x/y,                 302, http://shop.example.com:{port}/x/y",
      "/strip,                     302, http://shop.example.com:{port}/",
      "/full/path/original?q=2,    301, http://shop.example.com:{port}/full-path-replacement?q=2",
      "/host/a,                    303, http://example.org:{port}/host/a",
      // a scheme and no port: the scheme's own port, which is left out
      "/scheme-https/a,            302, https://example.org/scheme-https/a",
      "/scheme-https-8443,         307, https://shop.example.com:8443/scheme-https-8443",
      // a port that is the scheme's default is left out, any other is written
      "/port-80,                   308, http://shop.example.com/port-80",
      "/port-8080,                 302, http://shop.example.com:8080/port-8080",
      "/http-443,                  302, http://shop.example.com:443/http-443",
  })
  void answersWithTheLocationTheRouteSays(String target, int status, String location) {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET " + target + " HTTP/1.1\r\nHost: Shop.Example.com:" + port + "\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(status);
      assertThat(r.header("location")).isEqualTo(location.replace("{port}", Integer.toString(port)));
    }
    assertThat(app.seen()).noneMatch(s -> s.uri().equals(target));
  }

  @Test
  void keepsTheConnectionAndServesTheNextRequest() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET /port-80 HTTP/1.1\r\nHost: shop\r\n\r\nGET /other HTTP/1.1\r\nHost: shop\r\n\r\n");
      RawHttp.Response redirect = c.read();
      assertThat(redirect.status()).isEqualTo(308);
      assertThat(redirect.header("location")).isEqualTo("http://shop/port-80");
      assertThat(redirect.header("connection")).isNull();
      RawHttp.Response next = c.read();
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.header("x-backend")).isEqualTo("app");
    }
  }

  @Test
  void appliesTheRouteResponseHeadersAndClosesAfterAnUnreadBody() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("POST /form HTTP/1.1\r\nHost: shop\r\nContent-Length: 5\r\n\r\nhello");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(303);
      assertThat(r.header("location")).isEqualTo("http://shop:" + port + "/done");
      assertThat(r.header("cache-control")).isEqualTo("no-store");
      assertThat(r.header("x-redirected-by")).isEqualTo("gantry");
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(c.closedByPeer()).isTrue();
    }
    // the method is a condition of the route: a GET is forwarded
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET /form HTTP/1.1\r\nHost: shop\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
    }
    assertThat(app.last().uri()).isEqualTo("/form");
  }

  @Test
  void answersAnHttp2StreamAndKeepsTheConnection() throws Exception {
    try (RawH2 c = RawH2.connectCleartext(port)) {
      c.write(RawH2.headers(1, true, RawH2.Block.get("/port-8080/a?b=1").bytes()));
      RawH2.Frame head = c.readUntil(RawH2.HEADERS, 1).stream().filter(f -> f.type() == RawH2.HEADERS)
          .findFirst().orElseThrow();
      assertThat(head.headers().status().toString()).isEqualTo("302");
      assertThat(head.headers().get("location").toString()).isEqualTo("http://localhost:8080/port-8080/a?b=1");
      c.write(RawH2.headers(3, true, RawH2.Block.get("/other").bytes()));
      assertThat(c.response(3)).startsWith("200 ");
    }
  }

  @Test
  void aRequestWithoutHostGetsThePathAlone() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET /port-8080 HTTP/1.0\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(302);
      assertThat(r.header("location")).isEqualTo("/port-8080");
    }
  }
}
