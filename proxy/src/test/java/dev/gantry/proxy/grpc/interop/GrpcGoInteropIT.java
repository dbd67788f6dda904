package dev.gantry.proxy.grpc.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.grpc.interop.GrpcGoInterop.Result;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.TestCertificates;
import dev.gantry.proxy.testing.TestCertificates.Authority;
import dev.gantry.proxy.testing.TestCertificates.KeyFormat;
import dev.gantry.proxy.testing.TestCertificates.KeyType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gRPC's interoperability test cases, run by grpc-go's official interop client against grpc-go's official interop
 * server (the version pinned in {@code src/test/grpc-interop/go.mod}), both as processes: straight to the server
 * first (the control), then through Gantry on both listener kinds, an HTTP listener (h2c with prior knowledge)
 * and an HTTPS one (h2 by ALPN), to both backend kinds, an H2C backend and an H2 one (TLS, verified against its
 * CA). Each case on each path is one test: the client exits 0 when every check of the case held.
 */
class GrpcGoInteropIT {

  /** The cases grpc-go's own interop script runs, all of which make sense through a proxy. */
  static final List<String> CASES = List.of(
      "empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong", "empty_stream",
      "timeout_on_sleeping_server", "cancel_after_begin", "cancel_after_first_response",
      "status_code_and_message", "special_status_message", "custom_metadata",
      "unimplemented_method", "unimplemented_service",
      "orca_per_rpc", "orca_oob", "rpc_soak", "channel_soak");

  /** The cases the client offers that are not run, and why. */
  static final Map<String, String> LEFT_OUT = Map.of(
      "compute_engine_creds", "needs Google Compute Engine's metadata server and a service account",
      "service_account_creds", "needs a Google service account key and OAuth",
      "jwt_token_creds", "needs a Google service account key",
      "per_rpc_creds", "needs a Google service account key and OAuth",
      "oauth2_auth_token", "needs a Google service account key and OAuth",
      "google_default_credentials", "needs Google default credentials (ALTS or TLS to Google)",
      "compute_engine_channel_credentials", "needs Google Compute Engine's metadata server",
      "pick_first_unary", "checks the client's own balancing across several resolved servers; a proxy is one");

  /**
   * Interop cases of other languages' clients that grpc-go's client does not have (its server does not compress
   * either): grpc-java's {@code GrpcJavaIT} covers compression. Not run: ALTS ({@code -use_alts}, Google Cloud
   * only) and the separate xDS, federation and stress clients (the client's control plane and load, not what a
   * proxy carries).
   */
  static final List<String> NOT_IN_GRPC_GO = List.of("client_compressed_unary", "server_compressed_unary",
      "client_compressed_streaming", "server_compressed_streaming", "very_large_request");

  /** How the client reaches the server: straight, or through one of Gantry's listeners to one of its backends. */
  enum Via {
    DIRECT_H2C, DIRECT_H2, HTTP_TO_H2C, HTTP_TO_H2, HTTPS_TO_H2C, HTTPS_TO_H2;

    boolean tls() {
      return this == DIRECT_H2 || name().startsWith("HTTPS");
    }
  }

  static GrpcGoInterop tools;
  static Path dir;
  static Path caFile;
  static Path[] backendCert;
  static InteropServer h2c;
  static InteropServer h2;
  static ProxyFixture proxy;
  static final int[] listenerPorts = new int[4];

  @BeforeAll
  static void start() throws IOException {
    tools = GrpcGoInterop.build();
    dir = Files.createTempDirectory("grpc-go-interop");
    Authority ca = TestCertificates.authority("gRPC Interop CA");
    caFile = ca.write(dir.resolve("ca.pem"));
    backendCert = ca.issue("backend.test", KeyType.EC, "backend.test").write(dir, "backend", KeyFormat.PKCS8);
    Path[] listenerCert = ca.issue("gantry.test", KeyType.EC, "gantry.test").write(dir, "listener", KeyFormat.PKCS8);
    h2c = InteropServer.start(tools.server(), Ports.free(), null, null);
    h2 = InteropServer.start(tools.server(), Ports.free(), backendCert[0], backendCert[1]);
    for (int i = 0; i < listenerPorts.length; i++) {
      listenerPorts[i] = Ports.free();
    }
    String tls = "tls: {certificates: [{certFile: \"%s\", keyFile: \"%s\"}], alpn: [h2, http/1.1]}"
        .formatted(listenerCert[0], listenerCert[1]);
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: grpc-go-interop}
        spec:
          listeners:
          - {name: http-to-h2c, port: %d, protocol: HTTP, defaultBackend: h2c}
          - {name: http-to-h2, port: %d, protocol: HTTP, defaultBackend: h2}
          - {name: https-to-h2c, port: %d, protocol: HTTPS, defaultBackend: h2c, %s}
          - {name: https-to-h2, port: %d, protocol: HTTPS, defaultBackend: h2, %s}
          backends:
          - {name: h2c, protocol: H2C, endpoints: [{address: 127.0.0.1, port: %d}]}
          - name: h2
            protocol: H2
            tls: {caFile: "%s", serverName: backend.test}
            endpoints: [{address: 127.0.0.1, port: %d}]
        """.formatted(listenerPorts[0], listenerPorts[1], listenerPorts[2], tls, listenerPorts[3], tls,
        h2c.port(), caFile, h2.port()));
  }

  @AfterAll
  static void stop() throws IOException {
    if (proxy != null) {
      proxy.close();
    }
    if (h2c != null) {
      h2c.close();
    }
    if (h2 != null) {
      h2.close();
    }
    if (dir != null) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(Via.values()).flatMap(p -> CASES.stream().map(c -> Arguments.of(p, c)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void interopCase(Via path, String testCase) {
    List<String> outputs = new ArrayList<>();
    Result r = tools.client(clientArgs(path, testCase));
    outputs.add(r.output());
    while (lostTheCancelRace(testCase, r) && outputs.size() < CANCEL_RACE_ATTEMPTS) {
      r = tools.client(clientArgs(path, testCase));
      outputs.add(r.output());
    }
    assertThat(r.exitCode())
        .as("grpc-go interop client, case %s, %s, %d attempt(s); its output:%n%s%nthe server's output:%n%s",
            testCase, path, outputs.size(), String.join("\n--- next attempt ---\n", outputs),
            (path.name().endsWith("H2C") ? h2c : h2).output())
        .isZero();
  }

  /** How many times cancel_after_begin is run when the client lost its own race (below) every time before. */
  static final int CANCEL_RACE_ATTEMPTS = 3;

  /**
   * Whether grpc-go's client lost the race in its cancel_after_begin case: it cancels its context and at once
   * half-closes the call, and when the server's answer to the half-close (a response and status OK) is read
   * before the cancellation is, {@code CloseAndRecv} returns no error and the client fails the case with "got
   * error code 0, want 1". This happens straight to grpc-go's own server too (the DIRECT paths), with nothing of
   * Gantry in between, so only this exact failure of this case is run again; any other failure fails at once.
   */
  static boolean lostTheCancelRace(String testCase, Result r) {
    return testCase.equals("cancel_after_begin") && r.exitCode() != 0
        && r.output().contains("CloseAndRecv() got error code 0, want 1");
  }

  @Test
  void onlyTheCancelRaceOfCancelAfterBeginIsRunAgain() {
    Result lost = new Result(1, "FATAL: [interop] &{0x1}.CloseAndRecv() got error code 0, want 1");
    assertThat(lostTheCancelRace("cancel_after_begin", lost)).isTrue();
    assertThat(lostTheCancelRace("cancel_after_first_response", lost)).isFalse();
    assertThat(lostTheCancelRace("cancel_after_begin",
        new Result(1, "FATAL: [interop] &{0x1}.CloseAndRecv() got error code 14, want 1"))).isFalse();
    assertThat(lostTheCancelRace("cancel_after_begin", new Result(0, ""))).isFalse();
  }

  /**
   * The rpc_soak case from eight threads at once over the client's one connection: 400 large unary calls
   * (271828 bytes up, 314159 down), many of them concurrent streams that Gantry multiplexes onto its backend
   * connections.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void concurrentSoak(Via path) {
    List<String> args = clientArgs(path, "rpc_soak");
    args.addAll(List.of("-soak_iterations", "400", "-soak_num_threads", "8"));
    Result r = tools.client(args);
    assertThat(r.exitCode())
        .as("grpc-go interop client, concurrent rpc_soak, %s; its output:%n%s", path, r.output())
        .isZero();
  }

  /**
   * The servers stop and start again on the same ports between two calls: Gantry's pooled backend connections to
   * them are gone, and the next call through every path reaches the new server.
   */
  @Test
  void callsReachServersStartedAgainOnTheSamePorts() {
    for (Via via : Via.values()) {
      assertPasses(via, "large_unary");
    }
    int h2cPort = h2c.port();
    int h2Port = h2.port();
    h2c.close();
    h2.close();
    h2c = InteropServer.start(tools.server(), h2cPort, null, null);
    h2 = InteropServer.start(tools.server(), h2Port, backendCert[0], backendCert[1]);
    for (Via via : Via.values()) {
      assertPasses(via, "large_unary");
    }
  }

  private static void assertPasses(Via via, String testCase) {
    Result r = tools.client(clientArgs(via, testCase));
    assertThat(r.exitCode())
        .as("grpc-go interop client, case %s, %s; its output:%n%s", testCase, via, r.output())
        .isZero();
  }

  static Stream<Via> paths() {
    return Stream.of(Via.values());
  }

  /**
   * A newer client may bring cases: each case its help lists (and the two soak cases, which it does not list)
   * is either run here or left out above with a reason.
   */
  @Test
  void everyCaseOfTheClientIsRunOrLeftOutWithAReason() {
    Set<String> offered = offeredCases(tools.clientHelp());
    assertThat(offered).as("cases in the client's help").contains("empty_unary", "orca_oob");
    Set<String> accounted = new LinkedHashSet<>(CASES);
    accounted.addAll(LEFT_OUT.keySet());
    assertThat(accounted).containsAll(offered);
    assertThat(offered).as("cases grpc-go's client did not have, to be run once it has them")
        .doesNotContainAnyElementsOf(NOT_IN_GRPC_GO);
  }

  /** The names in the {@code -test_case} flag's description: lines of the form {@code name : what it does}. */
  static Set<String> offeredCases(String help) {
    int start = help.indexOf("-test_case");
    assertThat(start).as("-test_case in the client's help:%n%s", help).isNotNegative();
    Matcher m = Pattern.compile("(?m)^\\s+([a-z0-9_]+)\\s*:").matcher(help.substring(start));
    Set<String> names = new LinkedHashSet<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static List<String> clientArgs(Via path, String testCase) {
    int port = switch (path) {
      case DIRECT_H2C -> h2c.port();
      case DIRECT_H2 -> h2.port();
      case HTTP_TO_H2C -> listenerPorts[0];
      case HTTP_TO_H2 -> listenerPorts[1];
      case HTTPS_TO_H2C -> listenerPorts[2];
      case HTTPS_TO_H2 -> listenerPorts[3];
    };
    List<String> args = new ArrayList<>(List.of("-server_host", "127.0.0.1", "-server_port", Integer.toString(port),
        "-test_case", testCase,
        // the load balancing policy of grpc-go's interop tests, which the ORCA cases read their reports through
        "-service_config_json", "{\"loadBalancingConfig\": [{\"test_backend_metrics_load_balancer\": {}}]}"));
    if (path.tls()) {
      args.addAll(List.of("-use_tls", "-use_test_ca", "-ca_file", caFile.toString(),
          "-server_host_override", path == Via.DIRECT_H2 ? "backend.test" : "gantry.test"));
    }
    if (testCase.endsWith("_soak")) {
      // the case's default 10 iterations, without its latency bounds: tests here assert no speed
      args.addAll(List.of("-soak_per_iteration_max_acceptable_latency_ms", "30000",
          "-soak_overall_timeout_seconds", "50"));
    }
    return args;
  }
}
