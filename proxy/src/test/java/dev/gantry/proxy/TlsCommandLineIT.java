package dev.gantry.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyProcess;
import dev.gantry.proxy.testing.TestBackend;
import dev.gantry.proxy.testing.TestCertificates;
import dev.gantry.proxy.testing.TestCertificates.Authority;
import dev.gantry.proxy.testing.TestCertificates.KeyFormat;
import dev.gantry.proxy.testing.TestCertificates.KeyType;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates at start-up and in --check, the TLS engine in the start-up log, and the shipped examples. */
class TlsCommandLineIT {

  @TempDir
  Path dir;

  Path config(int port, boolean matchingKey) throws IOException {
    Authority ca = TestCertificates.authority("CLI Test Root");
    TestCertificates.Issued cert = ca.issue("shop.example.com", KeyType.EC, "shop.example.com");
    Files.createDirectories(dir.resolve("certs"));
    Files.writeString(dir.resolve("certs/site.pem"), cert.chainPem());
    TestCertificates.Issued keySource = matchingKey ? cert : ca.issue("other", KeyType.EC, "other");
    Files.writeString(dir.resolve("certs/site.key"), keySource.keyPem(KeyFormat.TRADITIONAL));
    Path file = dir.resolve("lb.yaml");
    Files.writeString(file, """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: shop}
        spec:
          listeners:
          - name: https
            port: %d
            protocol: HTTPS
            defaultBackend: site
            tls:
              certificates: [{certFile: certs/site.pem, keyFile: certs/site.key}]
          backends: [{name: site, endpoints: [{address: 127.0.0.1, port: 9}]}]
        """.formatted(port));
    return file;
  }

  @Test
  void aKeyThatDoesNotMatchItsCertificateStopsStartUpWithStatus2() throws IOException {
    Path file = config(Ports.free(), false);
    String expected = file + ": LoadBalancer shop, listener \"https\", tls.certificates[0]: "
        + dir.resolve("certs/site.key") + ": the private key does not match the certificate in "
        + dir.resolve("certs/site.pem");
    try (ProxyProcess p = ProxyProcess.start(List.of(), "--config", file.toString(), "--admin-port", "-1",
        "--bind-address", "127.0.0.1")) {
      assertThat(p.awaitExit(30)).isEqualTo(2);
      assertThat(p.stderr()).contains(expected).doesNotContain("BEGIN EC PRIVATE KEY");
    }
    try (ProxyProcess p = ProxyProcess.start(List.of(), "--check", "--config", file.toString())) {
      assertThat(p.awaitExit(30)).isEqualTo(2);
      assertThat(p.stderr()).contains(expected);
    }
  }

  @Test
  void theStartUpLogSaysWhichTlsEngineServes() throws IOException {
    try (TestBackend site = TestBackend.start("site")) {
      int admin = Ports.free();
      Path file = config(Ports.free(), true);
      try (ProxyProcess p = ProxyProcess.start(List.of(), "--config", file.toString(), "--admin-port",
          Integer.toString(admin), "--bind-address", "127.0.0.1", "--admin-address", "127.0.0.1")
          .awaitReady(admin)) {
        assertThat(p.stderr()).contains("TLS by BoringSSL (netty-tcnative)")
            .contains("certificate " + dir.resolve("certs/site.pem") + " for shop.example.com");
      }
      admin = Ports.free();
      try (ProxyProcess p = ProxyProcess.start(List.of("-Dgantry.tls.engine=jdk"), "--config", file.toString(),
          "--admin-port", Integer.toString(admin), "--bind-address", "127.0.0.1", "--admin-address", "127.0.0.1")
          .awaitReady(admin)) {
        assertThat(p.stderr()).contains("TLS by JDK TLS (chosen)");
      }
    }
  }

  @Test
  void everyShippedExamplePassesCheck() throws IOException {
    List<Path> examples = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of("..", "examples"), "*.yaml")) {
      files.forEach(examples::add);
    }
    assertThat(examples).extracting(p -> p.getFileName().toString())
        .contains("quickstart.yaml", "https.yaml", "tcp.yaml", "tls-passthrough.yaml", "grpc.yaml");
    for (Path example : examples) {
      assertThat(Main.commandLine().execute("--check", "--config", example.toString())).as(example.toString())
          .isZero();
    }
  }
}
