package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.proxy.testing.ExternalCommand;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * HTTPS listeners with real clients: the JDK HttpClient (HTTP/1.1 and HTTP/2), curl (HTTP/1.1 and HTTP/2)
 * and openssl s_client (SNI, ALPN, versions). Run once per TLS engine by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HttpsContract {

  Path dir;
  Authority ca;
  Path caFile;
  TestBackend app;
  TestBackend echo;
  ProxyFixture proxy;
  int https;
  int http;
  int strict;
  int bare;

  /** Starts the proxy with whatever TLS engine the subclass wants. */
  abstract ProxyFixture startProxy();

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("gantry-https");
    ca = TestCertificates.authority("HTTPS Test Root");
    caFile = ca.write(dir.resolve("ca.pem"));
    Path[] first = ca.issue("localhost", KeyType.RSA, "localhost").write(dir, "localhost", KeyFormat.TRADITIONAL);
    Path[] wildcard = ca.issue("wildcard.example.com", KeyType.EC, "*.example.com")
        .write(dir, "wildcard", KeyFormat.TRADITIONAL);
    Path[] shop = ca.intermediate("HTTPS Test Intermediate").issue("shop.example.com", KeyType.EC, "shop.example.com")
        .write(dir, "shop", KeyFormat.PKCS8);
    app = TestBackend.start("app");
    echo = TestBackend.start("echo").respondWith(req -> TestBackend.text(HttpResponseStatus.OK,
        "got " + req.content().readableBytes() + " bytes"));
    https = Ports.free();
    http = Ports.free();
    strict = Ports.free();
    bare = Ports.free();
    proxy = startProxy().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: web}
        spec:
          listeners:
          - name: https
            port: %d
            protocol: HTTPS
            defaultBackend: app
            tls:
              certificates:
              - {certFile: "%s", keyFile: "%s"}
              - {certFile: "%s", keyFile: "%s"}
              - {certFile: "%s", keyFile: "%s"}
          - {name: http, port: %d, protocol: HTTP, redirectToHttps: https}
          - name: strict
            port: %d
            protocol: HTTPS
            defaultBackend: app
            tls:
              certificates: [{certFile: "%s", keyFile: "%s"}]
              minVersion: "1.3"
              alpn: [http/1.1]
          - {name: bare, port: %d, protocol: HTTPS, defaultBackend: app}
          routes:
          - {name: echo, listeners: [https], paths: [{value: /echo}], backends: [{name: echo}]}
          backends:
          - {name: app, endpoints: [%s]}
          - {name: echo, endpoints: [%s]}
        """.formatted(https, first[0], first[1], wildcard[0], wildcard[1], shop[0], shop[1], http, strict,
        first[0], first[1], bare, app.endpoint(), echo.endpoint()));
  }

  @AfterAll
  void stop() {
    proxy.close();
    app.close();
    echo.close();
  }

  HttpClient client(HttpClient.Version version) {
    return HttpClient.newBuilder().version(version).sslContext(TestCertificates.clientContext(ca))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  static HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
  }

  ExternalCommand.Result sClient(int port, String... options) {
    Assumptions.assumeTrue(ExternalCommand.available("openssl"), "openssl is not installed");
    List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
        "-CAfile", caFile.toString()));
    cmd.addAll(List.of(options));
    return ExternalCommand.run(cmd, "");
  }

  ExternalCommand.Result curl(String... options) {
    Assumptions.assumeTrue(ExternalCommand.available("curl"), "curl is not installed");
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert", caFile.toString(),
        "--resolve", "shop.example.com:" + https + ":127.0.0.1", "--resolve", "a.example.com:" + https + ":127.0.0.1"));
    cmd.addAll(List.of(options));
    return ExternalCommand.run(cmd, "");
  }

  @Test
  void theJdkClientIsServedOverHttp11() throws Exception {
    HttpResponse<String> r = client(HttpClient.Version.HTTP_1_1)
        .send(request("https://localhost:" + https + "/hello").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(r.body()).isEqualTo("app");
    assertThat(app.lastHeaders()).containsEntry("X-Forwarded-Proto", "https")
        .containsEntry("X-Forwarded-Port", Integer.toString(https));
  }

  @Test
  void theJdkClientIsServedOverHttp2WithoutCodecHeadersReachingTheBackend() throws Exception {
    HttpResponse<String> r = client(HttpClient.Version.HTTP_2)
        .send(request("https://localhost:" + https + "/h2?x=1").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(r.body()).isEqualTo("app");
    TestBackend.Seen seen = app.last();
    assertThat(seen.uri()).isEqualTo("/h2?x=1");
    assertThat(app.lastHeaders()).containsEntry("X-Forwarded-Proto", "https")
        .containsEntry("Host", "localhost:" + https);
    assertThat(app.lastHeaders().keySet()).noneMatch(h -> h.toLowerCase().startsWith("x-http2-"));
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.accessLog().stream()
        .anyMatch(l -> l.contains("\"GET /h2?x=1 HTTP/2.0\"")));
  }

  @Test
  void concurrentHttp2StreamsAreEachForwardedOverTheBackendPool() throws Exception {
    HttpClient c = client(HttpClient.Version.HTTP_2);
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      all.add(c.sendAsync(request("https://localhost:" + https + "/stream/" + i).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> f : all) {
      HttpResponse<String> r = f.get();
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(r.body()).isEqualTo("app");
    }
  }

  @Test
  void anHttp2RequestBodyStreamsToTheBackend() throws Exception {
    byte[] body = new byte[1 << 20];
    HttpResponse<String> r = client(HttpClient.Version.HTTP_2).send(request("https://localhost:" + https + "/echo")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(r.body()).isEqualTo("got 1048576 bytes");
  }

  @Test
  void curlIsServedOverHttp2AndHttp11ByTheCertificateOfItsSni() {
    ExternalCommand.Result h2 = curl("--http2", "-w", "\n%{http_version}", "https://shop.example.com:" + https + "/");
    assertThat(h2.stdout()).as(h2.stderr()).isEqualTo("app\n2");
    ExternalCommand.Result h1 = curl("--http1.1", "-w", "\n%{http_version}", "https://a.example.com:" + https + "/");
    assertThat(h1.stdout()).as(h1.stderr()).isEqualTo("app\n1.1");
    ExternalCommand.Result post = curl("--http2", "--data-binary", "hello world", "https://shop.example.com:" + https
        + "/echo");
    assertThat(post.stdout()).as(post.stderr()).isEqualTo("got 11 bytes");
  }

  @Test
  void theCertificateIsChosenBySniExactBeforeWildcardWithTheFirstAsDefault() {
    assertThat(sClient(https, "-servername", "shop.example.com").stdout())
        .contains("subject=CN = shop.example.com").contains("Verify return code: 0 (ok)");
    assertThat(sClient(https, "-servername", "www.example.com").stdout())
        .contains("subject=CN = wildcard.example.com").contains("Verify return code: 0 (ok)");
    assertThat(sClient(https, "-servername", "a.b.example.com").stdout()).contains("subject=CN = localhost");
    assertThat(sClient(https, "-servername", "other.test").stdout()).contains("subject=CN = localhost");
    assertThat(sClient(https, "-noservername").stdout()).contains("subject=CN = localhost");
  }

  @Test
  void alpnAndVersionsAreNegotiatedAsConfigured() {
    assertThat(sClient(https, "-alpn", "h2,http/1.1").stdout()).contains("ALPN protocol: h2");
    assertThat(sClient(https, "-alpn", "http/1.1").stdout()).contains("ALPN protocol: http/1.1");
    assertThat(sClient(https, "-tls1_2").stdout()).contains("New, TLSv1.2, Cipher is ECDHE");
    assertThat(sClient(https, "-tls1_3").stdout()).contains("New, TLSv1.3, Cipher is TLS_");
    // Modern ciphers only: no RSA key exchange, no CBC.
    ExternalCommand.Result legacy = sClient(https, "-tls1_2", "-cipher", "AES128-SHA:AES256-SHA256");
    assertThat(legacy.exitCode()).isNotZero();
    assertThat(legacy.stdout()).doesNotContain("New, TLSv1.2");
    assertThat(sClient(strict, "-alpn", "h2").stdout()).contains("No ALPN negotiated");
    assertThat(sClient(strict, "-tls1_3").stdout()).contains("New, TLSv1.3, Cipher is TLS_");
    ExternalCommand.Result old = sClient(strict, "-tls1_2");
    assertThat(old.exitCode()).isNotZero();
    assertThat(old.stdout()).doesNotContain("New, TLSv1.2");
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.admin("/metrics")
        .contains("gantry_tls_handshake_failures_total{lb=\"web\",listener=\"strict\"} "));
    String metrics = proxy.admin("/metrics");
    assertThat(metrics).contains("gantry_tls_handshakes_total{lb=\"web\",listener=\"https\",version=\"TLSv1.2\"}")
        .contains("gantry_tls_handshakes_total{lb=\"web\",listener=\"https\",version=\"TLSv1.3\"}")
        .doesNotContain("gantry_tls_handshake_failures_total{lb=\"web\",listener=\"strict\"} 0");
  }

  @Test
  void aListenerWithoutCertificatesServesTheGeneratedDefaultOne() {
    ExternalCommand.Result r = sClient(bare);
    assertThat(r.stdout()).contains("subject=CN = Gantry default certificate");
    ExternalCommand.Result insecure = curl("-k", "--http2", "-w", "\n%{http_version}", "https://127.0.0.1:" + bare + "/");
    assertThat(insecure.stdout()).isEqualTo("app\n2");
  }

  @Test
  void anHttpListenerRedirectsToItsHttpsListener() {
    try (RawHttp c = new RawHttp(http)) {
      RawHttp.Response r = c.send("GET /cart?item=1 HTTP/1.1\r\nHost: shop.example.com\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(301);
      assertThat(r.header("location")).isEqualTo("https://shop.example.com:" + https + "/cart?item=1");
    }
  }

  @Test
  void plainHttpOnAnHttpsPortIsAHandshakeFailureNotAnAnswer() throws Exception {
    long failures = failures("https");
    try (RawHttp c = new RawHttp(https)) {
      c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.closedByPeer()).isTrue();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> failures("https") > failures);
  }

  long failures(String listener) {
    String prefix = "gantry_tls_handshake_failures_total{lb=\"web\",listener=\"" + listener + "\"} ";
    return proxy.admin("/metrics").lines().filter(l -> l.startsWith(prefix))
        .mapToLong(l -> Long.parseLong(l.substring(prefix.length()))).findFirst().orElse(0);
  }
}
