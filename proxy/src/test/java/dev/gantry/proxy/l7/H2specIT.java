package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.ExternalCommand;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.TestBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * h2spec, the HTTP/2 conformance suite, against an HTTPS listener (h2) and an HTTP listener (h2c with prior
 * knowledge) that forward every request to a real backend: every case it has for a server passes, the strict
 * ones too. h2spec is built from the Go module in
 * {@code src/test/h2spec} (once; the binary is cached) by its {@code build.sh}.
 */
class H2specIT {

  static final Pattern SUMMARY = Pattern.compile("(\\d+) tests, (\\d+) passed, (\\d+) skipped, (\\d+) failed");

  static Path h2spec;
  static ProxyFixture proxy;
  TestBackend app;
  int port;
  int plainPort;

  @BeforeAll
  static void start() {
    Assumptions.assumeTrue(ExternalCommand.available("go") || cached(),
        "h2spec is built with Go, which is not installed");
    h2spec = build();
    proxy = ProxyFixture.start();
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
  }

  /** Each run gets a listener and a backend of its own, so one run's streams cannot affect the next. */
  @BeforeEach
  void listen() {
    // Some cases need a response body of at least 5 bytes to run: the name is the body.
    app = TestBackend.start("conformance");
    port = Ports.free();
    plainPort = Ports.free();
    proxy.apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: h2spec}
        spec:
          listeners:
          - {name: https, port: %d, protocol: HTTPS, defaultBackend: app}
          - {name: http, port: %d, protocol: HTTP, defaultBackend: app}
          backends: [{name: app, endpoints: [%s]}]
        """.formatted(port, plainPort, app.endpoint()));
  }

  @AfterEach
  void stopBackend() {
    app.close();
  }

  @Test
  void everyServerCasePasses() {
    assertAllPass(run());
  }

  @Test
  void everyStrictCasePasses() {
    assertAllPass(run("-S"));
  }

  /**
   * Over cleartext every case passes but one: 3.5/2 sends {@code INVALID CONNECTION PREFACE} and wants the
   * connection closed without a byte. An HTTP listener serves HTTP/1.1 too, and to HTTP/1.1 those bytes are a
   * malformed request line, answered with 400 as every malformed request is.
   */
  @Test
  void everyServerCasePassesOverCleartextButTheInvalidPrefaceOne() {
    assertAllPassButTheInvalidPreface(runCleartext());
  }

  @Test
  void everyStrictCasePassesOverCleartextButTheInvalidPrefaceOne() {
    assertAllPassButTheInvalidPreface(runCleartext("-S"));
  }

  static void assertAllPassButTheInvalidPreface(String output) {
    Matcher m = SUMMARY.matcher(output);
    assertThat(m.find()).as("h2spec summary in:%n%s", output).isTrue();
    int tests = Integer.parseInt(m.group(1));
    int passed = Integer.parseInt(m.group(2));
    int skipped = Integer.parseInt(m.group(3));
    int failed = Integer.parseInt(m.group(4));
    System.out.printf("h2spec over cleartext: %d tests, %d passed, %d skipped, %d failed%n", tests, passed, skipped,
        failed);
    String failures = output.substring(output.lastIndexOf("Failures:"));
    assertThat(failed).as("h2spec failures:%n%s", output).isEqualTo(1);
    assertThat(failures).as("h2spec failures:%n%s", output)
        .contains("3.5. HTTP/2 Connection Preface", "× 2: Sends invalid connection preface");
    assertThat(passed).isEqualTo(tests - skipped - 1).isPositive();
  }

  static void assertAllPass(String output) {
    Matcher m = SUMMARY.matcher(output);
    assertThat(m.find()).as("h2spec summary in:%n%s", output).isTrue();
    int tests = Integer.parseInt(m.group(1));
    int passed = Integer.parseInt(m.group(2));
    int skipped = Integer.parseInt(m.group(3));
    int failed = Integer.parseInt(m.group(4));
    System.out.printf("h2spec: %d tests, %d passed, %d skipped, %d failed%n", tests, passed, skipped, failed);
    assertThat(failed).as("h2spec failures:%n%s", output).isZero();
    assertThat(passed).isEqualTo(tests - skipped).isPositive();
  }

  /** Runs h2spec over TLS against the listener (once it accepts connections); its whole output. */
  String run(String... extra) {
    return run(port, true, extra);
  }

  /** Runs h2spec without TLS (h2c with prior knowledge) against the HTTP listener. */
  String runCleartext(String... extra) {
    return run(plainPort, false, extra);
  }

  private String run(int port, boolean tls, String... extra) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return true;
      }
    });
    List<String> command = new ArrayList<>(List.of(h2spec.toString(), "-h", "127.0.0.1",
        "-p", String.valueOf(port), "-o", "5"));
    if (tls) {
      command.addAll(List.of("-t", "-k"));
    }
    command.addAll(List.of(extra));
    return runProcess(command, 300);
  }

  static boolean cached() {
    return Files.isDirectory(Path.of(System.getProperty("user.home"), ".cache", "gantry", "h2spec"));
  }

  static Path build() {
    String out = runProcess(List.of("bash", "src/test/h2spec/build.sh"), 600).strip();
    String last = out.substring(out.lastIndexOf('\n') + 1);
    Path binary = Path.of(last);
    assertThat(binary).as("h2spec build output:%n%s", out).isExecutable();
    return binary;
  }

  private static String runProcess(List<String> command, int timeoutSeconds) {
    try {
      Path log = Files.createTempFile("h2spec", ".log");
      try {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError("still running after " + timeoutSeconds + " s: " + command);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (command.get(0).equals("bash") && p.exitValue() != 0) {
          throw new AssertionError("building h2spec failed:\n" + output);
        }
        return output;
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
