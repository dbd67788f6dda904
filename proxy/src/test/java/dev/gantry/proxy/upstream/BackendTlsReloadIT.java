package dev.gantry.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.proxy.config.FileConfigSource;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.TestCertificates;
import dev.gantry.proxy.testing.TestCertificates.Authority;
import dev.gantry.proxy.testing.TestCertificates.KeyFormat;
import dev.gantry.proxy.testing.TestCertificates.KeyType;
import dev.gantry.proxy.testing.TlsHttpBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone configuration whose TLS backend names a CA bundle and a client certificate by relative paths:
 * the files are watched like listener certificates, and a file that cannot be used is refused, naming it,
 * while the last good configuration keeps serving.
 */
class BackendTlsReloadIT {

  static final Authority CA = TestCertificates.authority("Backend CA");
  static final Authority CLIENT_CA = TestCertificates.authority("Client CA");

  @TempDir
  Path dir;
  TlsHttpBackend backend;
  ProxyFixture proxy;
  FileConfigSource source;
  int port;

  @BeforeEach
  void start() throws IOException {
    backend = new TlsHttpBackend("secure", CA.issue("backend.internal", KeyType.EC, "backend.internal"), CLIENT_CA,
        false);
    Files.createDirectories(dir.resolve("certs"));
    // First an unrelated CA: the backend is refused until the right bundle is installed.
    TestCertificates.authority("Unrelated CA").write(dir.resolve("certs/ca.pem"));
    CLIENT_CA.issue("gantry", KeyType.EC).write(dir.resolve("certs"), "client", KeyFormat.TRADITIONAL);
    port = Ports.free();
    Path file = dir.resolve("lb.yaml");
    Files.writeString(file, """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: reencrypt}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: secure}]
          backends:
          - name: secure
            endpoints: [%s]
            protocol: TLS
            tls: {caFile: certs/ca.pem, serverName: backend.internal, certificateFile: certs/client.pem,
                  keyFile: certs/client.key}
        """.formatted(port, backend.endpoint()));
    proxy = ProxyFixture.start();
    source = new FileConfigSource(file, proxy.proxy());
    assertThat(source.loadInitial()).isEmpty();
    source.startWatching();
  }

  @AfterEach
  void stop() {
    source.close();
    proxy.close();
    backend.close();
  }

  @Test
  void aChangedCaBundleIsUsedOnceTheFileChanges() {
    assertThat(proxy.get(port, "/").statusCode()).isEqualTo(502);

    CA.write(dir.resolve("certs/ca.pem"));

    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
        .until(() -> proxy.get(port, "/").statusCode() == 200);
    assertThat(proxy.get(port, "/").body()).isEqualTo("secure sni=backend.internal client=gantry");
  }

  @Test
  void anUnreadableCaBundleIsRefusedNamingItAndTheLastGoodConfigurationStays() throws IOException {
    CA.write(dir.resolve("certs/ca.pem"));
    assertThat(source.reload("SIGHUP")).isEmpty();
    assertThat(proxy.get(port, "/").statusCode()).isEqualTo(200);

    Files.writeString(dir.resolve("certs/ca.pem"), "not a certificate\n");
    assertThat(source.reload("SIGHUP")).singleElement().asString()
        .contains("LoadBalancer reencrypt, backend \"secure\", tls: " + dir.resolve("certs/ca.pem")
            + ": no PEM certificate (BEGIN CERTIFICATE) found");

    Files.delete(dir.resolve("certs/client.key"));
    assertThat(source.reload("SIGHUP")).singleElement().asString()
        .contains(dir.resolve("certs/client.key") + ": no such file");

    assertThat(proxy.get(port, "/").statusCode()).isEqualTo(200);
  }
}
