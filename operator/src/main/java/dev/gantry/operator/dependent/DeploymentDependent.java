package dev.gantry.operator.dependent;

import dev.gantry.operator.translate.DeploymentManifest;
import dev.gantry.operator.translate.FleetNames;
import dev.gantry.operator.translate.FleetPlan;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The proxy pods. */
@KubernetesDependent(informer = @Informer(name = "fleet-deployment", labelSelector = FleetNames.MANAGED_SELECTOR))
public final class DeploymentDependent extends FleetDependent<Deployment> {

  public DeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(FleetPlan plan) {
    return DeploymentManifest.deployment(plan);
  }

  @Override
  protected String name(FleetNames names) {
    return names.deployment();
  }
}
