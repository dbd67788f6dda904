package dev.gantry.operator.dependent;

import dev.gantry.operator.translate.FleetNames;
import dev.gantry.operator.translate.FleetPlan;
import dev.gantry.operator.translate.ServiceManifest;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** How the fleet is reached: its addresses become the load balancer's. */
@KubernetesDependent(informer = @Informer(name = "fleet-service", labelSelector = FleetNames.MANAGED_SELECTOR))
public final class ServiceDependent extends FleetDependent<Service> {

  public ServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(FleetPlan plan) {
    return ServiceManifest.service(plan);
  }

  @Override
  protected String name(FleetNames names) {
    return names.service();
  }
}
