package dev.gantry.proxy.grpc.grpcjava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.TestCertificates;
import dev.gantry.proxy.testing.TestCertificates.Authority;
import dev.gantry.proxy.testing.TestCertificates.KeyFormat;
import dev.gantry.proxy.testing.TestCertificates.KeyType;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A grpc-java client and a grpc-java server through Gantry ({@link GrpcJavaCases}: calls after the interop
 * descriptions, gzip both ways, a client's cancel seen by the server, a quiet stream; the interop suite itself is
 * run by {@code GrpcGoInteropIT}): straight to the servers first (the harness itself), then through Gantry on both listener kinds, an HTTP listener (h2c with prior knowledge) and an HTTPS
 * one (h2 by ALPN), to both backend kinds, an H2C backend and an H2 one (TLS, verified against its CA). The
 * listener's client and server timeouts are 2 s, so a server stream quiet for 4 s under a route with
 * {@code timeout: 0s} also shows the long-lived stream rule end to end.
 */
class GrpcJavaIT {

  /** How a client reaches a server: its name, and whether it goes through Gantry. */
  enum Path2 {
    DIRECT_H2C, DIRECT_H2, HTTP_LISTENER_TO_H2C, HTTP_LISTENER_TO_H2, HTTPS_LISTENER_TO_H2C, HTTPS_LISTENER_TO_H2;

    boolean throughGantry() {
      return ordinal() >= 2;
    }
  }

  static Path dir;
  static Path caFile;
  static TestService h2c;
  static TestService h2;
  static ProxyFixture proxy;
  static int httpPort;
  static int httpsPort;
  static final Map<String, ManagedChannel> channels = new HashMap<>();

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("grpc-java");
    Authority ca = TestCertificates.authority("gRPC Test CA");
    caFile = ca.write(dir.resolve("ca.pem"));
    Path[] backendCert = ca.issue("backend.test", KeyType.EC, "backend.test").write(dir, "backend", KeyFormat.PKCS8);
    Path[] listenerCert = ca.issue("gantry.test", KeyType.EC, "h2c.test", "h2.test", "quiet-h2c.test", "quiet-h2.test")
        .write(dir, "listener", KeyFormat.PKCS8);
    h2c = TestService.cleartext();
    h2 = TestService.tls(backendCert[0], backendCert[1]);
    httpPort = Ports.free();
    httpsPort = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: grpc-java}
        spec:
          timeouts: {client: 2s, server: 2s}
          listeners:
          - {name: http, port: %d, protocol: HTTP}
          - name: https
            port: %d
            protocol: HTTPS
            tls:
              certificates: [{certFile: "%s", keyFile: "%s"}]
              alpn: [h2, http/1.1]
          routes:
          - {name: to-h2c, hosts: [h2c.test], backends: [{name: h2c}]}
          - {name: to-h2, hosts: [h2.test], backends: [{name: h2}]}
          - {name: quiet-h2c, hosts: [quiet-h2c.test], backends: [{name: h2c}], timeout: 0s}
          - {name: quiet-h2, hosts: [quiet-h2.test], backends: [{name: h2}], timeout: 0s}
          backends:
          - {name: h2c, protocol: H2C, endpoints: [{address: 127.0.0.1, port: %d}]}
          - name: h2
            protocol: H2
            tls: {caFile: "%s", serverName: backend.test}
            endpoints: [{address: 127.0.0.1, port: %d}]
        """.formatted(httpPort, httpsPort, listenerCert[0], listenerCert[1], h2c.port(), caFile, h2.port()));
  }

  @AfterAll
  static void stop() {
    channels.values().forEach(c -> {
      c.shutdownNow();
      try {
        c.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    if (proxy != null) {
      proxy.close();
    }
    if (h2c != null) {
      h2c.close();
    }
    if (h2 != null) {
      h2.close();
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(Path2.values()).flatMap(p -> GrpcJavaCases.CASES.keySet().stream().map(c -> Arguments.of(p, c)));
  }

  @ParameterizedTest(name = "{1} {0}")
  @MethodSource("cases")
  void grpcJavaCall(Path2 path, String name) {
    TestService server = serverOf(path);
    int cancelledBefore = server.cancelled.get();
    int gzipBefore = server.gzipRequests.get();
    GrpcJavaCases.CASES.get(name).accept(channel(path, false));
    if (name.equals("cancel_after_first_response")) {
      // The client's RST_STREAM reached the server, through the proxy too.
      await().atMost(Duration.ofSeconds(5)).until(() -> server.cancelled.get() > cancelledBefore);
    }
    if (name.startsWith("gzip_")) {
      assertThat(server.gzipRequests.get()).as("gzip-compressed requests the server decompressed")
          .isGreaterThan(gzipBefore);
    }
  }

  static Stream<Path2> throughGantry() {
    return Stream.of(Path2.values()).filter(Path2::throughGantry);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("throughGantry")
  void aServerStreamQuietLongerThanTheListenerTimeoutsArrivesWholeUnderARouteWithoutLimit(Path2 path) {
    GrpcJavaCases.quietServerStream(channel(path, true), 4000);
  }

  private static TestService serverOf(Path2 path) {
    return path.name().endsWith("H2C") ? h2c : h2;
  }

  private static ManagedChannel channel(Path2 path, boolean quiet) {
    return channels.computeIfAbsent(path + (quiet ? "-quiet" : ""), k -> open(path, quiet));
  }

  private static ManagedChannel open(Path2 path, boolean quiet) {
    String host = (quiet ? "quiet-" : "") + (path.name().endsWith("H2C") ? "h2c.test" : "h2.test");
    NettyChannelBuilder b = switch (path) {
      case DIRECT_H2C -> NettyChannelBuilder.forAddress("127.0.0.1", h2c.port());
      case DIRECT_H2 -> NettyChannelBuilder.forAddress("127.0.0.1", h2.port()).overrideAuthority("backend.test");
      case HTTP_LISTENER_TO_H2C, HTTP_LISTENER_TO_H2 ->
          NettyChannelBuilder.forAddress("127.0.0.1", httpPort).overrideAuthority(host);
      case HTTPS_LISTENER_TO_H2C, HTTPS_LISTENER_TO_H2 ->
          NettyChannelBuilder.forAddress("127.0.0.1", httpsPort).overrideAuthority(host);
    };
    boolean tls = path == Path2.DIRECT_H2 || path.name().startsWith("HTTPS");
    if (tls) {
      try {
        b.sslContext(GrpcSslContexts.forClient().trustManager(caFile.toFile()).build());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      b.usePlaintext();
    }
    return b.build();
  }
}
