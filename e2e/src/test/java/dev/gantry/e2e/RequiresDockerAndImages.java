package dev.gantry.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs the annotated suite only where a Docker engine runs (for k3s) and the images are built; otherwise
 * skips it and says why, and how to run it, in the build's output.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresDockerAndImages.Condition.class)
@interface RequiresDockerAndImages {

  String HOW = "./mvnw -Pimages verify -pl e2e -am (README: \"End-to-end tests\")";

  final class Condition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (!DockerClientFactory.instance().isDockerAvailable()) {
        return skip("no Docker engine here, so no k3s cluster; where Docker runs: " + HOW);
      }
      var missing = Images.fromBuild().missing();
      if (!missing.isEmpty()) {
        return skip("the images are not built (" + missing + "); build them and run the suite with " + HOW);
      }
      return ConditionEvaluationResult.enabled("Docker runs and the images are built");
    }

    private static ConditionEvaluationResult skip(String reason) {
      System.out.println("[e2e] skipped: " + reason);
      return ConditionEvaluationResult.disabled(reason);
    }
  }
}
