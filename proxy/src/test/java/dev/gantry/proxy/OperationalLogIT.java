package dev.gantry.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operational log of the proxy as a process: its lines on stderr, at the level GANTRY_LOG_LEVEL asks. */
class OperationalLogIT {

  static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)";

  @TempDir
  Path dir;

  /**
   * The stderr of a proxy that started, served until ready, and stopped on SIGTERM. (That the lines logged while
   * it stops are written out is ShutdownIT's: here the signal may come before the proxy's shutdown hook is set.)
   */
  String stderrOfARun(Map<String, String> environment) throws IOException {
    Path config = dir.resolve("lb.yaml");
    Files.writeString(config, """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: logs}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: site}]
          backends: [{name: site, endpoints: [{address: 127.0.0.1, port: 9}]}]
        """.formatted(Ports.free()));
    int admin = Ports.free();
    try (ProxyProcess p = ProxyProcess.start(environment, List.of(), "--config", config.toString(), "--admin-port",
        Integer.toString(admin), "--bind-address", "127.0.0.1", "--access-log", "off").awaitReady(admin)) {
      p.signal("TERM");
      assertThat(p.awaitExit(15)).isIn(0, 143);
      return p.stderr();
    }
  }

  @Test
  void linesGoToStderrInTheLogFormatWithNoWordFromSlf4j() throws IOException {
    String stderr = stderrOfARun(Map.of());

    assertThat(stderr.lines().toList()).isNotEmpty().allSatisfy(line -> assertThat(line).matches(
        TIME + " (INFO |WARN |ERROR) [A-Za-z]+ - .+"));
    assertThat(stderr).containsPattern(TIME + " INFO  GantryProxy - proxy started: ").doesNotContain("SLF4J");
  }

  @Test
  void gantryLogLevelWarnLeavesTheInfoLinesOut() throws IOException {
    assertThat(stderrOfARun(Map.of("GANTRY_LOG_LEVEL", "warn"))).doesNotContain("proxy started");
  }

  @Test
  void anUnknownGantryLogLevelIsOneWarningAndTheInfoLines() throws IOException {
    String stderr = stderrOfARun(Map.of("GANTRY_LOG_LEVEL", "chatty"));

    assertThat(stderr).containsPattern(TIME + " WARN  LogLevels - GANTRY_LOG_LEVEL \"chatty\" is not a log level")
        .contains("proxy started");
  }
}
