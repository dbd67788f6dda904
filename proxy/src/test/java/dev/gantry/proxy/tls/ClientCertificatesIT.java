package dev.gantry.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.TestBackend;
import dev.gantry.proxy.testing.TestCertificates;
import dev.gantry.proxy.testing.TestCertificates.Authority;
import dev.gantry.proxy.testing.TestCertificates.Issued;
import dev.gantry.proxy.testing.TestCertificates.KeyFormat;
import dev.gantry.proxy.testing.TestCertificates.KeyType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client certificates on HTTPS listeners, with the JDK's TLS clients: required ones end the handshake with
 * an alert when missing, untrusted, revoked or too deep; optional ones let a client without a certificate
 * through and answer 403 to one with a bad certificate; a verified certificate reaches the backend as
 * X-Forwarded-Client-Cert, and a client's own X-Forwarded-Client-Cert never does. HTTP/1.1 and HTTP/2.
 * {@link ClientCertificatesJdkTlsIT} runs the same with the JDK's TLS engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientCertificatesIT {

  static final String FORGED = "Hash=00;Subject=\"CN=admin\"";

  @TempDir
  static Path dir;
  Authority clientCa;
  Authority issuing;
  Issued alice;
  Issued bob;
  Issued revoked;
  Issued stranger;
  Issued serverOnly;
  TestBackend app;
  ProxyFixture proxy;
  int require;
  int optional;
  int shallow;
  int withCrl;
  int plain;
  int quiet;
  int fallback;

  @BeforeAll
  void start() throws IOException {
    Authority serverCa = TestCertificates.authority("Server Root");
    Path[] server = serverCa.issue("localhost", KeyType.EC, "localhost").write(dir, "server", KeyFormat.PKCS8);
    clientCa = TestCertificates.authority("Client Root");
    issuing = clientCa.intermediate("Client Issuing");
    alice = clientCa.issueClient("alice", "spiffe://shop/alice", "alice.example.com", "a.example.com");
    bob = issuing.issueClient("bob", null, "bob.example.com");
    revoked = clientCa.issueClient("mallory", null);
    stranger = TestCertificates.authority("Other Root").issueClient("eve", null);
    serverOnly = clientCa.issueFor("web-server", KeyPurposeId.id_kp_serverAuth);
    Path ca = clientCa.write(dir.resolve("clients.pem"));
    Path crl = dir.resolve("clients.crl");
    Files.writeString(crl, clientCa.crlPem(revoked.certificate()));
    app = TestBackend.start("app");
    require = Ports.free();
    optional = Ports.free();
    shallow = Ports.free();
    withCrl = Ports.free();
    plain = Ports.free();
    quiet = Ports.free();
    fallback = Ports.free();
    String tls = "certificates: [{certFile: %s, keyFile: %s}]".formatted(server[0], server[1]);
    proxy = startProxy().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: mtls}
        spec:
          listeners:
          - name: require
            port: %d
            protocol: HTTPS
            defaultBackend: app
            tls: {%s, clientCertificates: {mode: Require, caFile: %s}}
          - name: optional
            port: %d
            protocol: HTTPS
            defaultBackend: app
            tls: {%s, clientCertificates: {mode: Optional, caFile: %s}}
          - name: shallow
            port: %d
            protocol: HTTPS
            defaultBackend: app
            tls: {%s, clientCertificates: {mode: Require, caFile: %s, depth: 1}}
          - name: crl
            port: %d
            protocol: HTTPS
            defaultBackend: app
            tls: {%s, clientCertificates: {mode: Require, caFile: %s, crlFile: %s}}
          - name: plain
            port: %d
            protocol: HTTP
            defaultBackend: app
          - name: quiet
            port: %d
            protocol: HTTPS
            defaultBackend: app
            tls: {%s, clientCertificates: {mode: Require, caFile: %s, forward: false}}
          - name: fallback
            port: %d
            protocol: HTTPS
            defaultBackend: app
            tls: {%s, clientCertificates: {mode: InsecureFallback, caFile: %s}}
          backends: [{name: app, endpoints: [%s]}]
        """.formatted(require, tls, ca, optional, tls, ca, shallow, tls, ca, withCrl, tls, ca, crl, plain,
        quiet, tls, ca, fallback, tls, ca, app.endpoint()));
  }

  /** The proxy with the default TLS engine (BoringSSL where available); subclasses choose another. */
  ProxyFixture startProxy() {
    return ProxyFixture.start();
  }

  @AfterAll
  void stop() {
    proxy.close();
    app.close();
  }

  @BeforeEach
  void forget() {
    app.seen().clear();
  }

  /** GET / over HTTP/1.1 on a new connection, sending a forged X-Forwarded-Client-Cert; the status line. */
  String get(SSLContext client, int port) throws IOException {
    return get(client, port, (Consumer<SSLSocket>) null, null);
  }

  /** The same, with {@code protocol} only, telling {@code sessions} when the session used was created. */
  String get(SSLContext client, int port, String protocol, List<Long> sessions) throws IOException {
    return get(client, port, socket -> socket.setEnabledProtocols(new String[] {protocol}),
        socket -> sessions.add(socket.getSession().getCreationTime()));
  }

  String get(SSLContext client, int port, Consumer<SSLSocket> before, Consumer<SSLSocket> after)
      throws IOException {
    try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(15_000);
      if (before != null) {
        before.accept(socket);
      }
      socket.startHandshake();
      if (after != null) {
        after.accept(socket);
      }
      socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-Client-Cert: " + FORGED
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) >= 0 && c != '\r') {
        head.write(c);
      }
      return head.toString(StandardCharsets.US_ASCII);
    }
  }

  /**
   * What a client gets when the proxy refuses its certificate: the handshake, then a read (TLS 1.3 checks
   * the client's certificate after the client's side of the handshake is done), must fail with an alert.
   */
  static Throwable refusal(SSLContext client, int port) throws IOException {
    // The proxy sends its alert and closes. A TLS 1.3 client may still be writing its own last flight then, and
    // see the closed socket ("Broken pipe") before it reads the alert: that attempt shows nothing, so try again.
    SocketException lost = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(15_000);
        try {
          socket.startHandshake();
          int read = socket.getInputStream().read();
          throw new AssertionError("the connection was not refused; read " + read);
        } catch (SSLException e) {
          return e;
        } catch (SocketException e) {
          lost = e;
        }
      }
    }
    return lost;
  }

  static SSLContext with(Issued cert) {
    return TestCertificates.clientContextWith(cert);
  }

  static SSLContext without() {
    return TestCertificates.trustAll();
  }

  /** Envoy's format for the certificates of this test, built here independently of the proxy. */
  static String xfcc(Issued cert, String subject, String sans) throws Exception {
    String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
        cert.certificate().getEncoded()));
    return "Hash=" + hash + ";Subject=\"" + subject + "\"" + sans;
  }

  String forwardedToBackend() {
    assertThat(app.seen()).hasSize(1);
    return app.last().headers().get("X-Forwarded-Client-Cert");
  }

  @Test
  void requiredAndTrustedTheBackendGetsTheCertificateAndNotWhatTheClientSent() throws Exception {
    assertThat(get(with(alice), require)).isEqualTo("HTTP/1.1 200 OK");
    assertThat(app.last().headers().getAll("X-Forwarded-Client-Cert")).containsExactly(
        xfcc(alice, "CN=alice", ";URI=spiffe://shop/alice;DNS=alice.example.com;DNS=a.example.com"));
  }

  @Test
  void requiredButMissingTheHandshakeFailsWithAnAlert() throws Exception {
    String failures = "gantry_tls_handshake_failures_total{lb=\"mtls\",listener=\"require\"}";
    long before = proxy.metric(failures);
    assertThat(refusal(without(), require)).hasMessageContaining("alert");
    assertThat(app.seen()).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.metric(failures) == before + 1);
  }

  @Test
  void requiredButFromAnotherAuthorityTheHandshakeFails() throws Exception {
    assertThat(refusal(with(stranger), require)).hasMessageContaining("alert");
    assertThat(app.seen()).isEmpty();
  }

  @Test
  void aCertificateForServersOnlyIsRefusedAndOneForClientsAccepted() throws Exception {
    assertThat(refusal(with(serverOnly), require)).hasMessageContaining("alert");
    assertThat(get(with(clientCa.issueFor("client", KeyPurposeId.id_kp_clientAuth)), require))
        .isEqualTo("HTTP/1.1 200 OK");
  }

  @Test
  void aRevokedCertificateFailsWhereTheRevocationListIsGivenAndOthersPass() throws Exception {
    assertThat(refusal(with(revoked), withCrl)).hasMessageContaining("alert");
    assertThat(app.seen()).isEmpty();
    assertThat(get(with(alice), withCrl)).isEqualTo("HTTP/1.1 200 OK");
    assertThat(get(with(revoked), require)).isEqualTo("HTTP/1.1 200 OK");
  }

  @Test
  void aChainDeeperThanTheDepthFailsAndPassesWithTheDefaultDepth() throws Exception {
    assertThat(refusal(with(bob), shallow)).hasMessageContaining("alert");
    assertThat(app.seen()).isEmpty();
    assertThat(get(with(alice), shallow)).isEqualTo("HTTP/1.1 200 OK");
    app.seen().clear();
    assertThat(get(with(bob), require)).isEqualTo("HTTP/1.1 200 OK");
    assertThat(forwardedToBackend()).isEqualTo(xfcc(bob, "CN=bob", ";DNS=bob.example.com"));
  }

  @Test
  void optionalWithoutACertificatePassesAndForwardsNoClientCertificate() throws Exception {
    assertThat(get(without(), optional)).isEqualTo("HTTP/1.1 200 OK");
    assertThat(forwardedToBackend()).isNull();
  }

  @Test
  void optionalWithAnUntrustedCertificateEveryRequestGets403() throws Exception {
    assertThat(get(with(stranger), optional)).isEqualTo("HTTP/1.1 403 Forbidden");
    assertThat(app.seen()).isEmpty();
  }

  @Test
  void insecureFallbackServesAnUntrustedCertificateOrNoneAsAnonymousAndForwardsOnlyAVerifiedOne() throws Exception {
    assertThat(get(with(stranger), fallback)).isEqualTo("HTTP/1.1 200 OK");
    assertThat(forwardedToBackend()).as("neither the untrusted certificate nor the forged header").isNull();
    app.seen().clear();
    assertThat(get(without(), fallback)).isEqualTo("HTTP/1.1 200 OK");
    assertThat(forwardedToBackend()).isNull();
    app.seen().clear();
    assertThat(get(with(alice), fallback)).isEqualTo("HTTP/1.1 200 OK");
    assertThat(forwardedToBackend()).isEqualTo(
        xfcc(alice, "CN=alice", ";URI=spiffe://shop/alice;DNS=alice.example.com;DNS=a.example.com"));
  }

  @Test
  void aResumedSessionKeepsTheVerdictOfItsFirstHandshake() throws Exception {
    // TLS 1.2, where a resumed session is the same session object, created once.
    SSLContext trusted = with(alice);
    SSLContext untrusted = with(stranger);
    List<Long> sessions = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      assertThat(get(trusted, optional, "TLSv1.2", sessions)).isEqualTo("HTTP/1.1 200 OK");
      assertThat(get(untrusted, optional, "TLSv1.2", sessions)).isEqualTo("HTTP/1.1 403 Forbidden");
    }
    assertThat(sessions.get(2)).as("the trusted client's session was resumed").isEqualTo(sessions.get(0));
    assertThat(sessions.get(3)).as("the untrusted client's session was resumed").isEqualTo(sessions.get(1));
    assertThat(app.seen()).hasSize(2).allSatisfy(seen -> assertThat(seen.headers().get("X-Forwarded-Client-Cert"))
        .isEqualTo(xfcc(alice, "CN=alice", ";URI=spiffe://shop/alice;DNS=alice.example.com;DNS=a.example.com")));
  }

  @Test
  void optionalWithATrustedCertificateForwardsIt() throws Exception {
    assertThat(get(with(alice), optional)).isEqualTo("HTTP/1.1 200 OK");
    assertThat(forwardedToBackend()).isEqualTo(
        xfcc(alice, "CN=alice", ";URI=spiffe://shop/alice;DNS=alice.example.com;DNS=a.example.com"));
  }

  @Test
  void withForwardOffTheBackendGetsNoClientCertificateButStillNotTheClientsHeader() throws Exception {
    assertThat(get(with(alice), quiet)).isEqualTo("HTTP/1.1 200 OK");
    assertThat(forwardedToBackend()).isNull();
    assertThat(refusal(with(stranger), quiet)).hasMessageContaining("alert");
  }

  @Test
  void onAListenerWithoutClientCertificatesAClientsHeaderIsRemoved() throws Exception {
    HttpResponse<String> r = proxy.get(plain, "/", "X-Forwarded-Client-Cert", FORGED);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(forwardedToBackend()).isNull();
  }

  HttpResponse<String> h2(Issued cert, int port) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(with(cert))
        .connectTimeout(Duration.ofSeconds(5)).build();
    return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/"))
        .header("X-Forwarded-Client-Cert", FORGED).timeout(Duration.ofSeconds(15)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void overHttp2TheVerifiedCertificateIsForwardedAndAnUntrustedOneGets403() throws Exception {
    HttpResponse<String> ok = h2(alice, require);
    assertThat(ok.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(forwardedToBackend()).isEqualTo(
        xfcc(alice, "CN=alice", ";URI=spiffe://shop/alice;DNS=alice.example.com;DNS=a.example.com"));
    app.seen().clear();
    HttpResponse<String> refused = h2(stranger, optional);
    assertThat(refused.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(app.seen()).isEmpty();
  }
}
