package dev.gantry.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.proxy.config.FileConfigSource;
import dev.gantry.proxy.testing.ExternalCommand;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.TestBackend;
import dev.gantry.proxy.testing.TestCertificates;
import dev.gantry.proxy.testing.TestCertificates.Authority;
import dev.gantry.proxy.testing.TestCertificates.KeyFormat;
import dev.gantry.proxy.testing.TestCertificates.KeyType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped mutual-TLS example, run from its file with certificates beside it and driven by curl with and
 * without {@code --cert}, over HTTP/1.1 and HTTP/2; a changed CA bundle is picked up like a certificate.
 */
class MtlsExampleIT {

  @TempDir
  Path dir;
  Authority serverCa;
  Authority clientCa;
  TestBackend api;
  ProxyFixture proxy;
  FileConfigSource source;
  int partners;
  int open;

  @BeforeEach
  void start() throws IOException {
    Assumptions.assumeTrue(ExternalCommand.available("curl"), "curl is not installed");
    Path certs = Files.createDirectories(dir.resolve("certs"));
    serverCa = TestCertificates.authority("Example Server Root");
    serverCa.write(dir.resolve("server-ca.pem"));
    serverCa.issue("localhost", KeyType.EC, "localhost").write(certs, "server", KeyFormat.TRADITIONAL);
    clientCa = TestCertificates.authority("Clients CA");
    clientCa.write(certs.resolve("clients.pem"));
    clientCa.issueClient("alice", "spiffe://shop/alice", "alice.example.com").write(dir, "alice", KeyFormat.PKCS8);
    api = TestBackend.start("api");
    partners = Ports.free();
    open = Ports.free();
    String example = Files.readString(Path.of("..", "examples", "mtls", "mtls.yaml"));
    assertThat(example).contains("port: 8443", "port: 8444", "port: 9001");
    Path file = dir.resolve("mtls.yaml");
    Files.writeString(file, example.replace("port: 8443", "port: " + partners)
        .replace("port: 8444", "port: " + open).replace("port: 9001", "port: " + api.port()));
    proxy = ProxyFixture.start();
    source = new FileConfigSource(file, proxy.proxy());
    assertThat(source.loadInitial()).isEmpty();
    source.startWatching();
  }

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
      proxy.close();
      api.close();
    }
  }

  ExternalCommand.Result curl(int port, boolean withCertificate, String... options) {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20",
        "--cacert", dir.resolve("server-ca.pem").toString(), "--resolve", "localhost:" + port + ":127.0.0.1",
        "-H", "X-Forwarded-Client-Cert: Hash=00;Subject=\"CN=admin\"", "-w", "\n%{http_code} %{http_version}"));
    if (withCertificate) {
      cmd.addAll(List.of("--cert", dir.resolve("alice.pem").toString(), "--key", dir.resolve("alice.key").toString()));
    }
    cmd.addAll(List.of(options));
    cmd.add("https://localhost:" + port + "/");
    return ExternalCommand.run(cmd, "");
  }

  @Test
  void curlWithItsCertificateIsServedOverBothProtocolsAndTheBackendSeesWhoItIs() {
    ExternalCommand.Result h2 = curl(partners, true, "--http2");
    assertThat(h2.exitCode()).as(h2.output()).isZero();
    assertThat(h2.stdout()).endsWith("200 2");
    assertThat(api.last().headers().getAll("X-Forwarded-Client-Cert")).singleElement().asString()
        .startsWith("Hash=").contains(";Subject=\"CN=alice\";URI=spiffe://shop/alice;DNS=alice.example.com")
        .doesNotContain("admin");
    ExternalCommand.Result h1 = curl(partners, true, "--http1.1");
    assertThat(h1.stdout()).as(h1.output()).endsWith("200 1.1");
  }

  @Test
  void curlWithoutACertificateGetsAnAlertOnTheRequiredListenerAndIsServedOnTheOptionalOne() {
    ExternalCommand.Result refused = curl(partners, false, "--http2");
    // Refused after curl's side of the TLS 1.3 handshake: curl reports the alert, or the closed connection
    // when that is what it notices first (the alert itself is asserted by ClientCertificatesIT).
    assertThat(refused.exitCode()).as(refused.output()).isNotZero();
    assertThat(api.seen()).isEmpty();
    ExternalCommand.Result anonymous = curl(open, false, "--http2");
    assertThat(anonymous.stdout()).as(anonymous.output()).endsWith("200 2");
    assertThat(api.last().headers().contains("X-Forwarded-Client-Cert")).isFalse();
  }

  @Test
  void aReplacedCaBundleIsUsedForNewConnections() throws IOException {
    assertThat(curl(partners, true).exitCode()).isZero();
    TestCertificates.authority("Another Clients CA").write(dir.resolve("certs/clients.pem"));
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
        .until(() -> curl(partners, true).exitCode() != 0);
    assertThat(curl(open, true).stdout()).endsWith("403 2");
  }

  @Test
  void aBrokenCaBundleIsRefusedNamingListenerAndFileAndTheLastGoodOneKeepsServing() throws IOException {
    Files.writeString(dir.resolve("certs/clients.pem"), "not a certificate\n");
    assertThat(source.reload("SIGHUP")).hasSize(2).anySatisfy(p -> assertThat(p).contains(
        "listener \"partners\", tls.clientCertificates: certs/clients.pem: no PEM certificate"));
    assertThat(curl(partners, true).stdout()).endsWith("200 2");
    assertThat(curl(partners, false).exitCode()).isNotZero();
  }
}
