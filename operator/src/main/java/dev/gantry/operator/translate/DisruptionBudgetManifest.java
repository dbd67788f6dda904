package dev.gantry.operator.translate;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.Map;

/** At most one proxy pod evicted at a time, so a node drain never takes the whole fleet down. */
public final class DisruptionBudgetManifest {

  private DisruptionBudgetManifest() {
  }

  public static PodDisruptionBudget podDisruptionBudget(FleetPlan plan) {
    FleetNames n = plan.names();
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata().withName(n.podDisruptionBudget()).withNamespace(n.namespace()).withLabels(plan.labels()).withAnnotations(plan.annotations(Map.of()))
        .endMetadata()
        .withNewSpec()
          .withMaxUnavailable(new IntOrString(1))
          .withNewSelector().withMatchLabels(n.selector()).endSelector()
        .endSpec()
        .build();
  }
}
