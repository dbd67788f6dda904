package dev.gantry.e2e;

import dev.gantry.operator.testing.Commands;
import dev.gantry.operator.testing.ControlPlane;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;

/**
 * The cluster a suite runs on: by default the one-node cluster of e2e/cluster on this machine; with
 * {@code -Dgantry.e2e.cluster=k3s}, k3s in a container. Started once per test class, stopped after it (the
 * local one's processes by PID, with everything it made). Where the chosen cluster cannot run on this
 * machine, the suite is skipped with the reason in one line.
 */
final class E2eClusters implements ExecutionCondition, ParameterResolver {

  static final String PROPERTY = "gantry.e2e.cluster";
  private static final String K3S_HOW = "./mvnw -Pimages verify -pl e2e -am -Dgantry.e2e.cluster=k3s";

  private static String kind() {
    return System.getProperty(PROPERTY, "local");
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (kind().equals("k3s")) {
      if (!DockerClientFactory.instance().isDockerAvailable()) {
        return skip("no Docker engine here, so no k3s cluster; where Docker runs: " + K3S_HOW);
      }
      var missing = Images.fromBuild().missing();
      if (!missing.isEmpty()) {
        return skip("the images are not built (" + missing + "); build them and run the suite with " + K3S_HOW);
      }
      return ConditionEvaluationResult.enabled("Docker runs and the images are built");
    }
    String missing = whyNoLocalNode();
    if (missing != null) {
      return skip("this machine cannot run the one-node cluster: " + missing);
    }
    return ConditionEvaluationResult.enabled("this machine can run the one-node cluster");
  }

  /** What this machine lacks to run the one-node cluster ({@code up.sh --check}), or null when it has it all. */
  static String whyNoLocalNode() {
    Commands.Result check = Commands.result(List.of(ControlPlane.scripts().resolve("up.sh").toString(), "--check"),
        Map.of(), Path.of("."));
    return check.exitCode() == 0 ? null : check.output().strip();
  }

  private static ConditionEvaluationResult skip(String reason) {
    System.out.println("[e2e] skipped: " + reason);
    return ConditionEvaluationResult.disabled(reason);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == E2eCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getStore(ExtensionContext.Namespace.create(E2eClusters.class))
        .getOrComputeIfAbsent(E2eCluster.class, k -> start(), E2eCluster.class);
  }

  private static E2eCluster start() {
    try {
      E2eCluster cluster = kind().equals("k3s") ? K3sCluster.start(Images.fromBuild())
          : LocalNodeCluster.start(Path.of("target", "cluster").toAbsolutePath());
      System.out.println("[e2e] on " + cluster.name());
      return cluster;
    } catch (Exception e) {
      throw new IllegalStateException("the " + kind() + " cluster did not start: " + e.getMessage(), e);
    }
  }
}
