package dev.gantry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gantry.operator.testing.Commands;
import dev.gantry.operator.testing.ControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The official Gateway API conformance suite ({@code conformance/run.sh}: its own one-node cluster, Gantry
 * installed by the chart with Gateway API on) for the four profiles Gantry claims. Passes when the suite
 * exits cleanly and its report says every core test of each profile, and every extended test of the features
 * the GatewayClass claims, passed, with none skipped.
 */
@ExtendWith(GatewayApiConformanceIT.OnTheOneNodeCluster.class)
class GatewayApiConformanceIT {

  static final List<String> PROFILES = List.of("GATEWAY-HTTP", "GATEWAY-TLS", "GATEWAY-GRPC", "GATEWAY-TCP");
  private static final long TIMEOUT_MINUTES = 45;

  @Test
  void everyTestOfTheClaimedProfilesAndFeaturesPasses() throws Exception {
    Path cluster = ControlPlane.scripts();
    Path conformance = cluster.getParent().getParent().resolve("conformance");
    Path target = Path.of("target").toAbsolutePath();
    Path report = target.resolve("conformance-report.yaml");
    Path log = target.resolve("conformance.log");
    Path dir = target.resolve("conformance-cluster");
    Files.createDirectories(target);
    Files.deleteIfExists(report);

    System.out.println("[conformance] running " + conformance.resolve("run.sh") + " for " + PROFILES + "; log: " + log);
    ProcessBuilder run = new ProcessBuilder(conformance.resolve("run.sh").toString(), "--dir", dir.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    run.environment().putAll(Map.of("PROFILES", String.join(",", PROFILES), "REPORT", report.toString()));
    Process p = run.start();
    p.getOutputStream().close();
    if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      stop(p);
      Commands.result(List.of(cluster.resolve("down.sh").toString(), "--dir", dir.toString()), Map.of(), target);
      throw new AssertionError("the conformance suite did not end within " + TIMEOUT_MINUTES + " minutes; see " + log);
    }
    assertThat(p.exitValue()).as("exit status of run.sh; failures:\n%s", failures(log)).isZero();

    JsonNode profiles = new ObjectMapper(new YAMLFactory()).readTree(report.toFile()).path("profiles");
    List<String> seen = new ArrayList<>();
    for (JsonNode profile : profiles) {
      String name = profile.path("name").asText();
      seen.add(name);
      assertPassed(name + " core", profile.path("core"));
      if (profile.has("extended")) {
        assertPassed(name + " extended", profile.path("extended"));
      }
    }
    assertThat(seen).as("profiles in the report").containsExactlyInAnyOrderElementsOf(PROFILES);
  }

  private static void assertPassed(String what, JsonNode result) {
    JsonNode stats = result.path("statistics");
    assertThat(result.path("result").asText()).as("%s result", what).isEqualTo("success");
    assertThat(stats.path("Failed").asInt(-1)).as("%s failed", what).isZero();
    assertThat(stats.path("Skipped").asInt(-1)).as("%s skipped", what).isZero();
    assertThat(stats.path("Passed").asInt()).as("%s passed", what).isPositive();
  }

  /** The suite's failed tests and their first lines, from its verbose log. */
  private static String failures(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    List<String> failed = lines.stream().filter(l -> l.strip().startsWith("--- FAIL")).toList();
    List<String> tail = lines.subList(Math.max(0, lines.size() - 40), lines.size());
    return String.join("\n", failed) + "\n... last lines:\n" + String.join("\n", tail);
  }

  private static void stop(Process p) throws InterruptedException {
    List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
    p.destroy();
    all.forEach(ProcessHandle::destroy);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      all.forEach(ProcessHandle::destroyForcibly);
    }
  }

  /** Runs where the one-node cluster can run (the same check the end-to-end suite makes), never on k3s. */
  static final class OnTheOneNodeCluster implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (!System.getProperty(E2eClusters.PROPERTY, "local").equals("local")) {
        return skip("the conformance suite runs on the one-node cluster of e2e/cluster, not on "
            + System.getProperty(E2eClusters.PROPERTY));
      }
      String missing = E2eClusters.whyNoLocalNode();
      if (missing != null) {
        return skip("this machine cannot run the one-node cluster: " + missing);
      }
      return ConditionEvaluationResult.enabled("this machine can run the one-node cluster");
    }

    private static ConditionEvaluationResult skip(String reason) {
      System.out.println("[conformance] skipped: " + reason);
      return ConditionEvaluationResult.disabled(reason);
    }
  }
}
