package dev.gantry.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.proxy.config.FileConfigSource;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate files are re-read when they change: new connections get the new certificate, open ones keep
 * going. A certificate that cannot be used is refused with the file and listener named, and the last good
 * one keeps serving.
 */
class CertificateReloadIT {

  @TempDir
  Path dir;
  Authority ca;
  TestBackend app;
  ProxyFixture proxy;
  FileConfigSource source;
  Path file;
  int port;

  @BeforeEach
  void start() throws IOException {
    ca = TestCertificates.authority("Reload Test Root");
    Files.createDirectories(dir.resolve("certs"));
    install(ca.issue("first.example.com", KeyType.EC, "first.example.com"));
    app = TestBackend.start("app");
    port = Ports.free();
    file = dir.resolve("lb.yaml");
    // Relative paths: taken from the configuration file's directory, not the working directory.
    Files.writeString(file, """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: renew}
        spec:
          listeners:
          - name: https
            port: %d
            protocol: HTTPS
            defaultBackend: app
            tls:
              certificates: [{certFile: certs/site.pem, keyFile: certs/site.key}]
          backends: [{name: app, endpoints: [%s]}]
        """.formatted(port, app.endpoint()));
    proxy = ProxyFixture.start();
    source = new FileConfigSource(file, proxy.proxy());
    assertThat(source.loadInitial()).isEmpty();
    source.startWatching();
  }

  @AfterEach
  void stop() {
    source.close();
    proxy.close();
    app.close();
  }

  void install(Issued cert) throws IOException {
    Files.writeString(dir.resolve("certs/site.key"), cert.keyPem(KeyFormat.PKCS8));
    Files.writeString(dir.resolve("certs/site.pem"), cert.chainPem());
  }

  /** A kept-alive HTTPS connection with an HTTP/1.1 exchange on it. */
  final class Connection implements AutoCloseable {
    final SSLSocket socket;

    Connection() throws IOException {
      socket = (SSLSocket) TestCertificates.trustAll().getSocketFactory().createSocket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(15_000);
      socket.startHandshake();
    }

    String certificate() throws IOException {
      return TestCertificates.commonName((X509Certificate) socket.getSession().getPeerCertificates()[0]);
    }

    /** GET / and the status line of the answer (the body, "app", is read too). */
    String get() throws IOException {
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        int c = in.read();
        if (c < 0) {
          return "closed";
        }
        head.write(c);
      }
      in.readNBytes(3);
      return head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse("");
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  String servedCertificate() throws IOException {
    try (Connection c = new Connection()) {
      return c.certificate();
    }
  }

  @Test
  void aRenewedCertificateIsServedToNewConnectionsWhileOpenOnesKeepGoing() throws Exception {
    try (Connection open = new Connection()) {
      assertThat(open.certificate()).isEqualTo("first.example.com");
      assertThat(open.get()).isEqualTo("HTTP/1.1 200 OK");
      install(ca.issue("second.example.com", KeyType.RSA, "second.example.com"));
      await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
          .until(() -> servedCertificate().equals("second.example.com"));
      assertThat(open.get()).isEqualTo("HTTP/1.1 200 OK");
      assertThat(open.certificate()).isEqualTo("first.example.com");
    }
  }

  @Test
  void aKeyThatDoesNotMatchIsRefusedNamingFileAndListenerAndTheLastGoodCertificateStays() throws Exception {
    Issued other = ca.issue("other.example.com", KeyType.EC, "other.example.com");
    Files.writeString(dir.resolve("certs/site.key"), other.keyPem(KeyFormat.TRADITIONAL));
    List<String> problems = source.reload("SIGHUP");
    assertThat(problems).singleElement().asString()
        .contains(file.toString())
        .contains("LoadBalancer renew, listener \"https\", tls.certificates[0]")
        .contains(dir.resolve("certs/site.key") + ": the private key does not match the certificate in "
            + dir.resolve("certs/site.pem"))
        .doesNotContain("PRIVATE KEY");
    assertThat(servedCertificate()).isEqualTo("first.example.com");
    assertThat(proxy.admin("/metrics")).contains("gantry_config_reloads_total{result=\"success\"} 1")
        .doesNotContain("gantry_config_reloads_total{result=\"failure\"} 0");
  }

  @Test
  void aMissingFileIsRefusedNamingIt() throws Exception {
    Files.delete(dir.resolve("certs/site.pem"));
    assertThat(source.reload("SIGHUP")).singleElement().asString()
        .contains(dir.resolve("certs/site.pem") + ": no such file");
    assertThat(servedCertificate()).isEqualTo("first.example.com");
  }
}
