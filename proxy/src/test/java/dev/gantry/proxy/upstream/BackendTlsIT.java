package dev.gantry.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.proxy.log.LogCapture;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.TestCertificates;
import dev.gantry.proxy.testing.TestCertificates.Authority;
import dev.gantry.proxy.testing.TestCertificates.KeyFormat;
import dev.gantry.proxy.testing.TestCertificates.KeyType;
import dev.gantry.proxy.testing.TlsHttpBackend;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * HTTP listeners in front of {@code protocol: TLS} backends: real HTTPS servers on 127.0.0.1 with
 * certificates made here, verified by the proxy against a CA bundle, a server name and extra names, with
 * and without a client certificate.
 */
class BackendTlsIT {

  static final Authority CA = TestCertificates.authority("Backend CA");
  static final Authority OTHER_CA = TestCertificates.authority("Unrelated CA");
  static final Authority CLIENT_CA = TestCertificates.authority("Client CA");

  @TempDir
  Path dir;
  Path caFile;
  Path otherCaFile;
  final List<AutoCloseable> closing = new ArrayList<>();
  LogCapture log;
  ProxyFixture proxy;
  int port;

  @BeforeEach
  void start() {
    caFile = CA.write(dir.resolve("ca.pem"));
    otherCaFile = OTHER_CA.write(dir.resolve("other-ca.pem"));
    log = LogCapture.of("dev.gantry.proxy.tls");
    port = Ports.free();
    proxy = startProxy();
  }

  /** The proxy under test, with the TLS engine this machine offers (BoringSSL here). */
  ProxyFixture startProxy() {
    return ProxyFixture.start();
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    for (AutoCloseable c : closing) {
      c.close();
    }
    log.close();
  }

  TlsHttpBackend backend(String name, TestCertificates.Issued cert, Authority clientCa, boolean closeEach) {
    TlsHttpBackend b = new TlsHttpBackend(name, cert, clientCa, closeEach);
    closing.add(b);
    return b;
  }

  TlsHttpBackend backend(TestCertificates.Issued cert) {
    return backend("secure", cert, null, false);
  }

  /** One HTTP listener whose default backend "secure" has {@code endpoints} and the given tls block. */
  void serve(String endpoints, String tls, String extra) {
    proxy.apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: reencrypt}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: secure}]
          backends:
          - name: secure
            endpoints: [%s]
            protocol: TLS
            tls: %s
        %s""".formatted(port, endpoints, tls, extra.indent(4)));
  }

  HttpResponse<String> get() {
    return proxy.get(port, "/");
  }

  List<String> warnings() {
    return log.messages();
  }

  @Test
  void theRightCaAndServerNameGetTheRequestThroughAndTheConnectionIsPooled() {
    TlsHttpBackend b = backend(CA.issue("backend.internal", KeyType.EC, "backend.internal"));
    serve(b.endpoint(), "{caFile: %s, serverName: backend.internal}".formatted(caFile), "");

    HttpResponse<String> first = get();
    HttpResponse<String> second = get();

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("secure sni=backend.internal client=none");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(b.requests()).isEqualTo(2);
    assertThat(b.connections()).as("the second request reuses the pooled TLS connection").isEqualTo(1);
    assertThat(b.serverNames()).containsExactly("backend.internal");
  }

  @Test
  void anIpAddressEndpointWithoutServerNameIsVerifiedByItsAddressAndSendsNoSni() {
    // Issued certificates name 127.0.0.1 as an IP address besides their DNS names.
    TlsHttpBackend b = backend(CA.issue("backend.internal", KeyType.RSA, "backend.internal"));
    serve(b.endpoint(), "{caFile: %s}".formatted(caFile), "");

    HttpResponse<String> r = get();

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("secure sni=none client=none");
  }

  @Test
  void aCertificateFromAnotherCaIsRefusedWith502AndTheReasonIsLogged() {
    TlsHttpBackend b = backend(OTHER_CA.issue("backend.internal", KeyType.EC, "backend.internal"));
    serve(b.endpoint(), "{caFile: %s, serverName: backend.internal}".formatted(caFile), "");

    assertThat(get().statusCode()).isEqualTo(502);
    assertThat(b.requests()).isZero();
    assertThat(warnings()).anySatisfy(w -> assertThat(w)
        .startsWith("LoadBalancer(reencrypt) backend secure: TLS handshake with 127.0.0.1:" + b.port() + " failed: ")
        .contains("certificate not issued by a CA of caFile"));
  }

  @Test
  void aCertificateForAnotherNameIsRefusedUnlessSubjectAltNamesAcceptsIt() {
    TlsHttpBackend b = backend(CA.issue("backend.internal", KeyType.EC, "backend.internal"));
    serve(b.endpoint(), "{caFile: %s, serverName: other.internal}".formatted(caFile), "");

    assertThat(get().statusCode()).isEqualTo(502);
    assertThat(b.requests()).isZero();
    assertThat(b.serverNames()).first().isEqualTo("other.internal");
    assertThat(warnings()).anySatisfy(w -> assertThat(w).contains(
        "failed: certificate does not match serverName \"other.internal\" (it names backend.internal, 127.0.0.1)"));

    serve(b.endpoint(), "{caFile: %s, serverName: other.internal, subjectAltNames: [backend.internal]}"
        .formatted(caFile), "");
    HttpResponse<String> accepted = get();
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(accepted.body()).isEqualTo("secure sni=other.internal client=none");
  }

  @Test
  void withVerifyServerNameOffOnlySubjectAltNamesCountAndUriNamesMatchExactly() {
    TlsHttpBackend b = backend("secure", CA.issueClient("abc.example.com", "spiffe://abc.example.com/test-identity",
        "abc.example.com"), null, false);
    String tls = "{caFile: %s, serverName: abc.example.com, verifyServerName: false, subjectAltNames: [%s]}";

    // the certificate names the server name, but only subjectAltNames are verified
    serve(b.endpoint(), tls.formatted(caFile, "dce.example.com"), "");
    assertThat(get().statusCode()).isEqualTo(502);
    assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("failed: certificate does not match "
        + "subjectAltNames [dce.example.com] (it names abc.example.com, 127.0.0.1, "
        + "spiffe://abc.example.com/test-identity)"));
    serve(b.endpoint(), tls.formatted(caFile, "\"spiffe://def.example.com/test-identity\""), "");
    assertThat(get().statusCode()).isEqualTo(502);
    serve(b.endpoint(), tls.formatted(caFile, "\"spiffe://abc.example.com/Test-Identity\""), "");
    assertThat(get().statusCode()).isEqualTo(502);
    assertThat(b.requests()).isZero();

    serve(b.endpoint(), tls.formatted(caFile, "\"spiffe://abc.example.com/test-identity\""), "");
    HttpResponse<String> uri = get();
    assertThat(uri.statusCode()).isEqualTo(200);
    assertThat(uri.body()).isEqualTo("secure sni=abc.example.com client=none");
    serve(b.endpoint(), tls.formatted(caFile, "\"spiffe://def.example.com/other\", abc.example.com"), "");
    assertThat(get().statusCode()).isEqualTo(200);
  }

  @Test
  void anExpiredCertificateIsRefused() {
    TlsHttpBackend b = backend(CA.issueExpired("backend.internal", "backend.internal"));
    serve(b.endpoint(), "{caFile: %s, serverName: backend.internal}".formatted(caFile), "");

    assertThat(get().statusCode()).isEqualTo(502);
    assertThat(b.requests()).isZero();
    assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("failed: certificate expired"));
  }

  @Test
  void insecureSkipVerifyAcceptsAnyCertificateAndSaysSoLoudly() {
    TlsHttpBackend b = backend(OTHER_CA.issue("elsewhere", KeyType.EC, "elsewhere.example"));
    serve(b.endpoint(), "{serverName: backend.internal, insecureSkipVerify: true}", "");

    HttpResponse<String> r = get();

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("secure sni=backend.internal client=none");
    assertThat(log.events()).anySatisfy(e -> {
      assertThat(e.level()).isEqualTo(Level.WARN);
      assertThat(e.message()).isEqualTo(
          "LoadBalancer(reencrypt) backend secure: insecureSkipVerify: backend certificates are NOT verified");
    });
  }

  @Test
  void aBackendRequiringAClientCertificateAcceptsGantrysAndRefusesAConnectionWithout() {
    TlsHttpBackend b = backend("secure", CA.issue("backend.internal", KeyType.EC, "backend.internal"), CLIENT_CA,
        false);
    Path[] client = CLIENT_CA.issue("gantry", KeyType.EC).write(dir, "client", KeyFormat.PKCS8);

    serve(b.endpoint(), "{caFile: %s, serverName: backend.internal}".formatted(caFile), "");
    assertThat(get().statusCode()).isEqualTo(502);
    assertThat(b.requests()).isZero();

    serve(b.endpoint(), "{caFile: %s, serverName: backend.internal, certificateFile: %s, keyFile: %s}"
        .formatted(caFile, client[0], client[1]), "");
    HttpResponse<String> r = get();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("secure sni=backend.internal client=gantry");
    assertThat(warnings()).noneSatisfy(w -> assertThat(w).contains("PRIVATE KEY"));
  }

  @Test
  void aSecondConnectionResumesTheSession() {
    TlsHttpBackend b = backend("secure", CA.issue("backend.internal", KeyType.EC, "backend.internal"), null, true);
    serve(b.endpoint(), "{caFile: %s, serverName: backend.internal}".formatted(caFile), "");

    assertThat(get().statusCode()).isEqualTo(200);
    assertThat(get().statusCode()).isEqualTo(200);
    assertThat(get().statusCode()).isEqualTo(200);

    assertThat(b.connections()).as("the backend closes each connection").isEqualTo(3);
    assertThat(b.fullHandshakes()).as("only the first connection needs the backend's certificate").isEqualTo(1);
  }

  @Test
  void aFailedHandshakeIsAFailedConnectRetriedOnAnotherEndpointCountedAndEjected() {
    TlsHttpBackend bad = backend("bad", OTHER_CA.issue("backend.internal", KeyType.EC, "backend.internal"), null,
        false);
    TlsHttpBackend good = backend("good", CA.issue("backend.internal", KeyType.EC, "backend.internal"), null, false);
    serve(bad.endpoint() + ", " + good.endpoint(), "{caFile: %s, serverName: backend.internal}".formatted(caFile),
        "");

    // Enough requests for the bad endpoint to fail PassiveHealth.CONSECUTIVE_FAILURES times in a row.
    for (int i = 0; i < 2 * PassiveHealth.CONSECUTIVE_FAILURES + 2; i++) {
      HttpResponse<String> r = get();
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).startsWith("good ");
    }
    String badLabel = "{lb=\"reencrypt\",backend=\"secure\",endpoint=\"127.0.0.1:" + bad.port() + "\"}";
    assertThat(proxy.metric("gantry_backend_endpoint_ejections_total" + badLabel)).isEqualTo(1);
    assertThat(proxy.metric("gantry_backend_endpoint_up" + badLabel)).isZero();
    assertThat(proxy.metric("gantry_backend_connect_failures_total{lb=\"reencrypt\",backend=\"secure\",endpoint=\"127.0.0.1:"
        + bad.port() + "\"}")).isGreaterThanOrEqualTo(1);
    assertThat(proxy.metric("gantry_backend_retries_total{lb=\"reencrypt\",backend=\"secure\",reason=\"connect\"}"))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void aChangedCaFileTakesEffectOnReload() throws Exception {
    TlsHttpBackend b = backend(CA.issue("backend.internal", KeyType.EC, "backend.internal"));
    Path bundle = dir.resolve("bundle.pem");
    Files.copy(otherCaFile, bundle);
    String tls = "{caFile: %s, serverName: backend.internal}".formatted(bundle);
    serve(b.endpoint(), tls, "");
    assertThat(get().statusCode()).isEqualTo(502);

    Files.writeString(bundle, CA.certificatePem());
    serve(b.endpoint(), tls, "");

    assertThat(get().statusCode()).isEqualTo(200);
  }

  @Test
  void healthChecksOfATlsBackendHandshakeAndMarkABadCertificateUnhealthy() {
    TlsHttpBackend good = backend("good", CA.issue("backend.internal", KeyType.EC, "backend.internal"), null, false);
    TlsHttpBackend bad = backend("bad", CA.issue("elsewhere", KeyType.EC, "elsewhere.example"), null, false);
    proxy.apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: reencrypt}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: http-checked}]
          backends:
          - name: http-checked
            endpoints: [%s]
            protocol: TLS
            tls: {caFile: %s, serverName: backend.internal}
            healthCheck: {protocol: HTTP, path: /healthz, interval: 100ms, timeout: 80ms}
          - name: tcp-checked
            endpoints: [%s]
            protocol: TLS
            tls: {caFile: %s, serverName: backend.internal}
            healthCheck: {protocol: TCP, interval: 100ms, timeout: 80ms}
        """.formatted(port, good.endpoint(), caFile, bad.endpoint(), caFile));

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(health("http-checked")).isEqualTo("HEALTHY");
      assertThat(health("tcp-checked")).isEqualTo("UNHEALTHY");
    });
    assertThat(good.requests()).as("the HTTP check's requests reached the backend over TLS").isPositive();
    assertThat(proxy.admin("/backends")).contains("HTTP /healthz over TLS every 100ms");
  }

  String health(String backend) throws Exception {
    JsonNode page = new ObjectMapper().readTree(proxy.admin("/backends"));
    for (JsonNode b : page.get("backends")) {
      if (b.get("name").asText().equals(backend)) {
        return b.get("endpoints").get(0).get("health").asText();
      }
    }
    throw new AssertionError(backend + " not on the page: " + page);
  }
}
