package dev.gantry.operator.translate;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.Map;

/**
 * The proxies' identity and what it may do: read its own ConfigMap and Secret, by name, and nothing else
 * (a watch restricted by {@code resourceNames} works because the proxy watches with a name field selector).
 */
public final class RbacManifests {

  private static final String[] READ = {"get", "list", "watch"};

  private RbacManifests() {
  }

  public static ServiceAccount serviceAccount(FleetPlan plan) {
    FleetNames n = plan.names();
    return new ServiceAccountBuilder()
        .withNewMetadata().withName(n.serviceAccount()).withNamespace(n.namespace()).withLabels(plan.labels()).withAnnotations(plan.annotations(Map.of()))
        .endMetadata()
        .build();
  }

  public static Role role(FleetPlan plan) {
    FleetNames n = plan.names();
    return new RoleBuilder()
        .withNewMetadata().withName(n.role()).withNamespace(n.namespace()).withLabels(plan.labels()).withAnnotations(plan.annotations(Map.of())).endMetadata()
        .withRules(
            new PolicyRuleBuilder().withApiGroups("").withResources("configmaps")
                .withResourceNames(n.modelConfigMap()).withVerbs(READ).build(),
            new PolicyRuleBuilder().withApiGroups("").withResources("secrets")
                .withResourceNames(n.tlsSecret()).withVerbs(READ).build())
        .build();
  }

  public static RoleBinding roleBinding(FleetPlan plan) {
    FleetNames n = plan.names();
    return new RoleBindingBuilder()
        .withNewMetadata().withName(n.roleBinding()).withNamespace(n.namespace()).withLabels(plan.labels()).withAnnotations(plan.annotations(Map.of()))
        .endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(n.role()).endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName(n.serviceAccount()).withNamespace(n.namespace())
        .endSubject()
        .build();
  }
}
