package dev.gantry.operator.dependent;

import dev.gantry.operator.translate.FleetNames;
import dev.gantry.operator.translate.FleetPlan;
import dev.gantry.operator.translate.RbacManifests;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The proxies' identity. */
@KubernetesDependent(informer = @Informer(name = "fleet-serviceaccount", labelSelector = FleetNames.MANAGED_SELECTOR))
public final class ServiceAccountDependent extends FleetDependent<ServiceAccount> {

  public ServiceAccountDependent() {
    super(ServiceAccount.class);
  }

  @Override
  protected ServiceAccount desired(FleetPlan plan) {
    return RbacManifests.serviceAccount(plan);
  }

  @Override
  protected String name(FleetNames names) {
    return names.serviceAccount();
  }
}
