package dev.gantry.operator.dependent;

import dev.gantry.operator.translate.FleetNames;
import dev.gantry.operator.translate.FleetPlan;
import dev.gantry.operator.translate.RbacManifests;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Grants the Role to the proxies' ServiceAccount. */
@KubernetesDependent(informer = @Informer(name = "fleet-rolebinding", labelSelector = FleetNames.MANAGED_SELECTOR))
public final class RoleBindingDependent extends FleetDependent<RoleBinding> {

  public RoleBindingDependent() {
    super(RoleBinding.class);
  }

  @Override
  protected RoleBinding desired(FleetPlan plan) {
    return RbacManifests.roleBinding(plan);
  }

  @Override
  protected String name(FleetNames names) {
    return names.roleBinding();
  }
}
