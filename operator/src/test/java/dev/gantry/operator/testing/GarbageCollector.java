package dev.gantry.operator.testing;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes' garbage collector, which the mock API server does not run: deletes every object all of whose
 * owners are gone. What it deletes is exactly what a real cluster would, given the owner references.
 */
public final class GarbageCollector {

  public static final List<Class<? extends HasMetadata>> KINDS = List.of(ConfigMap.class, Secret.class,
      Deployment.class, Service.class, ServiceAccount.class, Role.class, RoleBinding.class, PodDisruptionBudget.class,
      dev.gantry.operator.api.LoadBalancerResource.class);

  private GarbageCollector() {
  }

  /** Collects once; returns what was deleted, as Kind/name. */
  public static List<String> collect(KubernetesClient client, String namespace, List<String> liveUids) {
    List<String> deleted = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : KINDS) {
      for (HasMetadata o : client.resources(kind).inNamespace(namespace).list().getItems()) {
        List<OwnerReference> owners = o.getMetadata().getOwnerReferences();
        if (owners != null && !owners.isEmpty() && owners.stream().noneMatch(r -> liveUids.contains(r.getUid()))) {
          client.resource(o).delete();
          deleted.add(o.getKind() + "/" + o.getMetadata().getName());
        }
      }
    }
    return deleted;
  }

  /** Objects of the fleet kinds still in the namespace with the given label selector. */
  public static List<String> remaining(KubernetesClient client, String namespace, String labelSelector) {
    List<String> left = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : KINDS) {
      for (HasMetadata o : client.resources(kind).inNamespace(namespace).withLabelSelector(labelSelector).list()
          .getItems()) {
        left.add(o.getKind() + "/" + o.getMetadata().getName());
      }
    }
    return left;
  }
}
