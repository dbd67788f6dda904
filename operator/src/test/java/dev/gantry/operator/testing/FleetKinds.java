package dev.gantry.operator.testing;

import dev.gantry.operator.api.LoadBalancerResource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;

/** The kinds of object the operator creates for a load balancer (and LoadBalancers, which it creates for Services). */
public final class FleetKinds {

  public static final List<Class<? extends HasMetadata>> ALL = List.of(ConfigMap.class, Secret.class,
      Deployment.class, Service.class, ServiceAccount.class, Role.class, RoleBinding.class, PodDisruptionBudget.class,
      LoadBalancerResource.class);

  private FleetKinds() {
  }
}
