package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.TestBackend;
import dev.gantry.proxy.testing.TestCertificates;
import dev.gantry.proxy.testing.TestCertificates.Authority;
import dev.gantry.proxy.testing.TestCertificates.KeyFormat;
import dev.gantry.proxy.testing.TestCertificates.KeyType;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Session persistence over three real backends balanced round robin: a token in a cookie or header keeps a
 * client on the endpoint that first answered it, and a token that is unknown, expired, forged or names an
 * endpoint that is gone is ignored and replaced, never an error.
 */
class SessionPersistenceIT {

  private static final Pattern COOKIE = Pattern.compile(
      "SERVERID=([A-Za-z0-9_-]{11}\\.[0-9a-z]+\\.[0-9a-z]+); Path=/; HttpOnly; Max-Age=(\\d+)");
  private static final Pattern TOKEN = Pattern.compile("([A-Za-z0-9_-]{11})\\.([0-9a-z]+)\\.([0-9a-z]+)");

  static TestBackend a;
  static TestBackend b;
  static TestBackend c;
  static ProxyFixture proxy;
  static int port;
  static int httpsPort;
  static Authority ca;

  @BeforeAll
  static void start() throws Exception {
    a = TestBackend.start("a");
    b = TestBackend.start("b");
    c = TestBackend.start("c");
    port = Ports.free();
    httpsPort = Ports.free();
    Path dir = Files.createTempDirectory("gantry-sticky");
    ca = TestCertificates.authority("Session Test Root");
    Path[] localhost = ca.issue("localhost", KeyType.EC, "localhost").write(dir, "localhost", KeyFormat.PKCS8);
    String https = ", {name: https, port: %d, protocol: HTTPS, tls: {certificates: [{certFile: \"%s\", keyFile: \"%s\"}]}}]"
        .formatted(httpsPort, localhost[0], localhost[1]);
    proxy = ProxyFixture.start().apply(config(port, a, b, c).replaceFirst("protocol: HTTP}]", "protocol: HTTP}" + https));
  }

  static String config(int port, TestBackend... endpoints) {
    StringBuilder eps = new StringBuilder();
    for (TestBackend e : endpoints) {
      eps.append("      - ").append(e.endpoint()).append('\n');
    }
    return """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: sticky}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP}]
          routes:
          - name: cookie
            backends: [{name: web}]
            sessionPersistence: {name: SERVERID, absoluteTimeout: 1h, lifetime: Permanent}
          - name: idle
            hosts: [idle.test]
            backends: [{name: web}]
            sessionPersistence: {name: SERVERID, idleTimeout: 10m}
          - name: header
            hosts: [header.test]
            backends: [{name: web}]
            sessionPersistence: {type: Header, name: X-Session}
          - name: cart
            hosts: [cart.test]
            paths: [{type: Prefix, value: /cart/}]
            backends: [{name: web}]
            sessionPersistence: {name: CART}
          - name: plain
            hosts: [plain.test]
            backends: [{name: web}]
          backends:
          - name: web
            endpoints:
        %s""".formatted(port, eps);
  }

  @AfterAll
  static void stop() {
    proxy.close();
    a.close();
    b.close();
    c.close();
  }

  static RawHttp.Response get(String host, String... headers) {
    try (RawHttp conn = new RawHttp(port)) {
      StringBuilder req = new StringBuilder("GET / HTTP/1.1\r\nHost: " + host + "\r\n");
      for (String h : headers) {
        req.append(h).append("\r\n");
      }
      return conn.send(req.append("\r\n").toString()).read();
    }
  }

  /** The token of a Set-Cookie header of the cookie route, checking its attributes. */
  static String token(RawHttp.Response r) {
    String setCookie = r.header("set-cookie");
    assertThat(setCookie).as("Set-Cookie").isNotNull();
    Matcher m = COOKIE.matcher(setCookie);
    assertThat(m.matches()).as(setCookie).isTrue();
    return m.group(1);
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  static String withTimes(String token, long issued, long refreshed) {
    return token.substring(0, 11) + "." + Long.toString(issued, 36) + "." + Long.toString(refreshed, 36);
  }

  @Test
  void theFirstAnswerGivesATokenThatKeepsTheClientOnItsEndpointWhileOthersAreSpread() {
    RawHttp.Response first = get("cookie.test");
    String token = token(first);
    assertThat(COOKIE.matcher(first.header("set-cookie")).results().findFirst().orElseThrow().group(2))
        .isEqualTo("3600");
    assertThat(token).doesNotContain("127").doesNotContain(String.valueOf(a.port()));

    Set<String> unsticky = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      RawHttp.Response r = get("cookie.test", "Cookie: theme=dark; SERVERID=" + token + "; lang=en");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).as("request %d with the token", i).isEqualTo(first.body());
      assertThat(r.header("set-cookie")).as("a valid token is not given again").isNull();
      unsticky.add(get("cookie.test").body());
    }
    assertThat(unsticky).containsExactlyInAnyOrder("a", "b", "c");
    TestBackend pinned = first.body().equals("a") ? a : first.body().equals("b") ? b : c;
    assertThat(pinned.seen()).as("the cookie reaches the backend unchanged")
        .anyMatch(s -> ("theme=dark; SERVERID=" + token + "; lang=en").equals(s.headers().get("cookie")));
  }

  @Test
  void everyEndpointGetsItsOwnTokenAndEachHolds() {
    Set<String> tokens = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      RawHttp.Response r = get("cookie.test");
      String token = token(r);
      tokens.add(token.substring(0, 11));
      for (int j = 0; j < 5; j++) {
        assertThat(get("cookie.test", "Cookie: SERVERID=" + token).body()).isEqualTo(r.body());
      }
    }
    assertThat(tokens).hasSize(3);
  }

  @Test
  void garbageAndForgedTokensAreIgnoredAndReplaced() {
    String valid = token(get("cookie.test"));
    List<String> garbage = List.of("", "x", "!!!", "\"\"", "AAAAAAAAAAA.1.1", valid.substring(0, 11),
        valid.substring(0, 11) + ".zz!.1", valid.substring(0, 11) + ".." , valid.substring(0, 11) + ".1.",
        valid.substring(0, 11) + ".zzzzzzzzzzzzzz.zzzzzzzzzzzzzz", "%00%ff", "x".repeat(4000),
        withTimes(valid, now(), now() - 10), withTimes(valid, now() + 3600, now() + 3600));
    for (String g : garbage) {
      RawHttp.Response r = get("cookie.test", "Cookie: SERVERID=" + g);
      assertThat(r.status()).as("token %s", g).isEqualTo(200);
      assertThat(token(r)).as("a new token for %s", g).isNotEqualTo(g);
    }
  }

  @Test
  void aTokenPastItsAbsoluteTimeoutIsReplacedWithAFreshSession() {
    String valid = token(get("cookie.test"));
    String expired = withTimes(valid, now() - 3601, now() - 3601);
    RawHttp.Response r = get("cookie.test", "Cookie: SERVERID=" + expired);
    String fresh = token(r);
    Matcher m = TOKEN.matcher(fresh);
    assertThat(m.matches()).isTrue();
    assertThat(Long.parseLong(m.group(2), 36)).isBetween(now() - 5, now() + 1);
    assertThat(COOKIE.matcher(r.header("set-cookie")).results().findFirst().orElseThrow().group(2)).isEqualTo("3600");
    // just within it, the session holds and keeps its Max-Age countdown
    String old = withTimes(valid, now() - 3000, now() - 3000);
    String body = get("cookie.test", "Cookie: SERVERID=" + valid).body();
    for (int i = 0; i < 6; i++) {
      RawHttp.Response held = get("cookie.test", "Cookie: SERVERID=" + old);
      assertThat(held.body()).isEqualTo(body);
      assertThat(held.header("set-cookie")).isNull();
    }
  }

  @Test
  void anIdleSessionEndsAndAnActiveOneIsRenewedPastHalfItsIdleTimeout() {
    RawHttp.Response first = get("idle.test");
    String setCookie = first.header("set-cookie");
    assertThat(setCookie).matches("SERVERID=[^;]+; Path=/; HttpOnly").as("a Session cookie has no Max-Age");
    String valid = setCookie.substring("SERVERID=".length(), setCookie.indexOf(';'));
    long start = now() - 3000;

    RawHttp.Response recent = get("idle.test", "Cookie: SERVERID=" + withTimes(valid, start, now() - 60));
    assertThat(recent.body()).isEqualTo(first.body());
    assertThat(recent.header("set-cookie")).isNull();

    RawHttp.Response halfway = get("idle.test", "Cookie: SERVERID=" + withTimes(valid, start, now() - 360));
    assertThat(halfway.body()).isEqualTo(first.body());
    Matcher renewed = TOKEN.matcher(halfway.header("set-cookie").split("[=;]")[1]);
    assertThat(renewed.matches()).isTrue();
    assertThat(renewed.group(1)).isEqualTo(valid.substring(0, 11));
    assertThat(Long.parseLong(renewed.group(2), 36)).as("the session keeps its start").isEqualTo(start);
    assertThat(Long.parseLong(renewed.group(3), 36)).isBetween(now() - 5, now() + 1);

    RawHttp.Response idle = get("idle.test", "Cookie: SERVERID=" + withTimes(valid, start, now() - 601));
    Matcher replaced = TOKEN.matcher(idle.header("set-cookie").split("[=;]")[1]);
    assertThat(replaced.matches()).isTrue();
    assertThat(Long.parseLong(replaced.group(2), 36)).as("a new session").isBetween(now() - 5, now() + 1);
  }

  @Test
  void aHeaderSessionTravelsInTheHeaderAndNeverSetsACookie() {
    RawHttp.Response first = get("header.test");
    String token = first.header("x-session");
    assertThat(token).matches(TOKEN);
    assertThat(first.header("set-cookie")).isNull();
    for (int i = 0; i < 20; i++) {
      RawHttp.Response r = get("header.test", "X-Session: " + token);
      assertThat(r.body()).isEqualTo(first.body());
      assertThat(r.header("x-session")).isNull();
    }
    assertThat(get("header.test", "Cookie: X-Session=" + token).header("x-session")).as("not read from a cookie")
        .isNotNull();
  }

  @Test
  void anHttp2ClientStaysOnItsEndpoint() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpResponse<String> first = send(client, null);
    String setCookie = first.headers().firstValue("set-cookie").orElseThrow();
    String token = setCookie.substring("SERVERID=".length(), setCookie.indexOf(';'));
    Set<String> unsticky = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> r = send(client, "SERVERID=" + token);
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(r.body()).isEqualTo(first.body());
      assertThat(r.headers().firstValue("set-cookie")).isEmpty();
      unsticky.add(send(client, null).body());
    }
    assertThat(unsticky).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void overTlsTheCookieIsSecureAndStillKeepsTheClientOnItsEndpoint() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
        .sslContext(TestCertificates.clientContext(ca)).connectTimeout(Duration.ofSeconds(5)).build();
    URI uri = URI.create("https://localhost:" + httpsPort + "/");
    HttpResponse<String> first = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
    String setCookie = first.headers().firstValue("set-cookie").orElseThrow();
    assertThat(setCookie).matches("SERVERID=[^;]+; Path=/; HttpOnly; Max-Age=\\d+; Secure");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).header("Cookie", cookie)
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).isEqualTo(first.body());
    }
  }

  /** A request to the cookie route (which takes any host) from the JDK client; the first one upgrades to h2c. */
  private static HttpResponse<String> send(HttpClient client, String cookie) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .timeout(Duration.ofSeconds(20));
    if (cookie != null) {
      req.header("Cookie", cookie);
    }
    return client.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theCookieOfARouteWithOnePrefixIsScopedToIt() {
    try (RawHttp conn = new RawHttp(port)) {
      RawHttp.Response r = conn.send("GET /cart/items HTTP/1.1\r\nHost: cart.test\r\n\r\n").read();
      assertThat(r.header("set-cookie")).matches("CART=[A-Za-z0-9_.-]+; Path=/cart; HttpOnly");
    }
  }

  @Test
  void aRouteWithoutSessionPersistenceSetsNoCookie() {
    for (int i = 0; i < 10; i++) {
      RawHttp.Response r = get("plain.test", "Cookie: SERVERID=whatever");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("set-cookie")).isNull();
      assertThat(r.header("x-session")).isNull();
    }
  }

  @Test
  void aTokenForAnEndpointRemovedOrDownFallsBackAndIsReplaced() {
    int p = Ports.free();
    TestBackend y = TestBackend.start("y");
    try (TestBackend x = TestBackend.start("x");
        TestBackend z = TestBackend.start("z");
        ProxyFixture own = ProxyFixture.start().apply(config(p, x, y, z))) {
      String tx = null;
      String ty = null;
      for (int i = 0; i < 3; i++) {
        RawHttp.Response r = ownGet(p, null);
        if (r.body().equals("x")) {
          tx = token(r);
        } else if (r.body().equals("y")) {
          ty = token(r);
        }
      }
      assertThat(ownGet(p, tx).body()).isEqualTo("x");
      own.apply(config(p, y, z));
      RawHttp.Response removed = ownGet(p, tx);
      assertThat(removed.status()).isEqualTo(200);
      assertThat(removed.body()).isIn("y", "z");
      String replacement = token(removed);
      assertThat(ownGet(p, replacement).body()).isEqualTo(removed.body());
      assertThat(ownGet(p, ty).body()).as("the other sessions survive the reload").isEqualTo("y");

      // y stops like a crashed process: the request finds it refusing connections and is retried elsewhere
      y.close();
      RawHttp.Response down = ownGet(p, ty);
      assertThat(down.status()).isEqualTo(200);
      assertThat(down.body()).isEqualTo("z");
      assertThat(token(down)).isNotEqualTo(ty);
    }
  }

  @Test
  void aTokenForAnEndpointItsHealthCheckFindsUnhealthyFallsBackAndIsReplaced() throws Exception {
    int p = Ports.free();
    AtomicBoolean sick = new AtomicBoolean();
    try (TestBackend x = TestBackend.start("x");
        // still answers requests, but its health check fails once it is sick
        TestBackend y = TestBackend.start("y").respondWith(req -> TestBackend.text(
            req.uri().equals("/healthz") && sick.get() ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK,
            "y"));
        ProxyFixture own = ProxyFixture.start().apply(config(p, x, y).replace("    endpoints:\n",
            "    healthCheck: {protocol: HTTP, path: /healthz, interval: 100ms, timeout: 80ms, unhealthyThreshold: 1}\n"
                + "    endpoints:\n"))) {
      String ty = null;
      for (int i = 0; i < 2; i++) {
        RawHttp.Response r = ownGet(p, null);
        ty = r.body().equals("y") ? token(r) : ty;
      }
      assertThat(ownGet(p, ty).body()).isEqualTo("y");
      sick.set(true);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      RawHttp.Response moved = ownGet(p, ty);
      while (moved.body().equals("y") && System.nanoTime() < until) {
        Thread.sleep(50);
        moved = ownGet(p, ty);
      }
      assertThat(moved.body()).as("once y is unhealthy its sessions go elsewhere").isEqualTo("x");
      String replacement = token(moved);
      assertThat(replacement).isNotEqualTo(ty);
      for (int i = 0; i < 5; i++) {
        assertThat(ownGet(p, ty).body()).isEqualTo("x");
        assertThat(ownGet(p, replacement).body()).isEqualTo("x");
      }
    }
  }

  private static RawHttp.Response ownGet(int p, String token) {
    try (RawHttp conn = new RawHttp(p)) {
      return conn.send("GET / HTTP/1.1\r\nHost: cookie.test\r\n" + (token == null ? "" : "Cookie: SERVERID=" + token
          + "\r\n") + "\r\n").read();
    }
  }
}
