package dev.gantry.operator.dependent;

import dev.gantry.operator.translate.DisruptionBudgetManifest;
import dev.gantry.operator.translate.FleetNames;
import dev.gantry.operator.translate.FleetPlan;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Bounds voluntary evictions of proxy pods. */
@KubernetesDependent(informer = @Informer(name = "fleet-pdb", labelSelector = FleetNames.MANAGED_SELECTOR))
public final class DisruptionBudgetDependent extends FleetDependent<PodDisruptionBudget> {

  public DisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(FleetPlan plan) {
    return DisruptionBudgetManifest.podDisruptionBudget(plan);
  }

  @Override
  protected String name(FleetNames names) {
    return names.podDisruptionBudget();
  }
}
