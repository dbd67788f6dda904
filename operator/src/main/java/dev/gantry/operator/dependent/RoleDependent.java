package dev.gantry.operator.dependent;

import dev.gantry.operator.translate.FleetNames;
import dev.gantry.operator.translate.FleetPlan;
import dev.gantry.operator.translate.RbacManifests;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** What the proxies may read: their ConfigMap and Secret, nothing else. */
@KubernetesDependent(informer = @Informer(name = "fleet-role", labelSelector = FleetNames.MANAGED_SELECTOR))
public final class RoleDependent extends FleetDependent<Role> {

  public RoleDependent() {
    super(Role.class);
  }

  @Override
  protected Role desired(FleetPlan plan) {
    return RbacManifests.role(plan);
  }

  @Override
  protected String name(FleetNames names) {
    return names.role();
  }
}
