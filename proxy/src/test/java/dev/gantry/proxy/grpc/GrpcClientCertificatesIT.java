package dev.gantry.proxy.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.GrpcOverRawH2;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawH2;
import dev.gantry.proxy.testing.RawH2.Frame;
import dev.gantry.proxy.testing.TestBackend;
import dev.gantry.proxy.testing.TestCertificates;
import dev.gantry.proxy.testing.TestCertificates.Authority;
import dev.gantry.proxy.testing.TestCertificates.KeyFormat;
import dev.gantry.proxy.testing.TestCertificates.KeyType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gRPC call with a client certificate the listener does not trust, on an HTTPS listener whose client
 * certificates are optional: the proxy's 403 reaches the client as PERMISSION_DENIED, in one HEADERS frame.
 */
class GrpcClientCertificatesIT {

  static TestBackend app;
  static ProxyFixture proxy;
  static int port;
  static TestCertificates.Issued stranger;

  @BeforeAll
  static void start() throws IOException {
    Path dir = Files.createTempDirectory("grpc-mtls");
    Authority serverCa = TestCertificates.authority("Server CA");
    Path[] server = serverCa.issue("localhost", KeyType.EC, "localhost").write(dir, "server", KeyFormat.PKCS8);
    Path clientCa = TestCertificates.authority("Client CA").write(dir.resolve("client-ca.pem"));
    stranger = TestCertificates.authority("Other Root").issueClient("eve", null);
    app = TestBackend.start("app");
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: grpc-mtls}
        spec:
          listeners:
          - name: https
            port: %d
            protocol: HTTPS
            defaultBackend: app
            tls:
              certificates: [{certFile: "%s", keyFile: "%s"}]
              alpn: [h2, http/1.1]
              clientCertificates: {mode: Optional, caFile: "%s"}
          backends: [{name: app, endpoints: [%s]}]
        """.formatted(port, server[0], server[1], clientCa, app.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    app.close();
  }

  @Test
  void anUntrustedClientCertificateIsPermissionDenied() {
    try (RawH2 c = RawH2.connect(TestCertificates.clientContextWith(stranger), port, 0)) {
      GrpcOverRawH2.start(c, 1, "/shop.Orders/Place", true);
      List<Frame> frames = GrpcOverRawH2.framesOf(c, 1);
      GrpcAnswersIT.assertTrailersOnly(frames, "7");
      // The proxy's own answer, not a backend's translated one.
      assertThat(frames.get(0).headers().get("grpc-message")).hasToString("403 Forbidden");
    }
  }
}
