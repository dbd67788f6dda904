package dev.gantry.operator.crd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Optional;

/**
 * LoadBalancers applied server-side to one namespace, as {@code kubectl apply --server-side} does, in
 * dry-run unless said otherwise: what the API server answers, with nothing stored.
 */
final class DryRunApply {

  static final String FIELD_MANAGER = "crd-it";

  /** The answer to an apply the server refused. */
  record Rejection(int code, String message, List<BoundCase.Cause> causes) {

    static Rejection of(KubernetesClientException e) {
      Status s = e.getStatus();
      List<StatusCause> causes = s == null || s.getDetails() == null ? List.of() : s.getDetails().getCauses();
      return new Rejection(e.getCode(), s == null ? e.getMessage() : s.getMessage(),
          causes.stream().map(c -> new BoundCase.Cause(c.getField(), c.getReason(), c.getMessage())).toList());
    }
  }

  private static final ResourceDefinitionContext LOAD_BALANCERS = new ResourceDefinitionContext.Builder()
      .withGroup("gantry.dev").withVersion("v1alpha1").withKind("LoadBalancer").withPlural("loadbalancers")
      .withNamespaced(true).build();

  private final KubernetesClient client;
  private final String namespace;

  DryRunApply(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** Applies the object for real (status, if any, is dropped: it has a subresource of its own). */
  GenericKubernetesResource store(ObjectNode lb) {
    return resource(lb).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  /** Applies the object's status for real. */
  GenericKubernetesResource storeStatus(ObjectNode lb) {
    return resource(lb).subresource("status").patch(context(false));
  }

  /** The server's refusal of the object, or empty when it would have been stored. */
  Optional<Rejection> apply(ObjectNode lb) {
    return answer(() -> resource(lb).dryRun().fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply());
  }

  /** The same for the status subresource: the object must exist. */
  Optional<Rejection> applyStatus(ObjectNode lb) {
    return answer(() -> resource(lb).subresource("status").patch(context(true)));
  }

  private static Optional<Rejection> answer(Runnable request) {
    try {
      request.run();
      return Optional.empty();
    } catch (KubernetesClientException e) {
      return Optional.of(Rejection.of(e));
    }
  }

  private Resource<GenericKubernetesResource> resource(ObjectNode lb) {
    GenericKubernetesResource r = client.getKubernetesSerialization().convertValue(lb, GenericKubernetesResource.class);
    return client.genericKubernetesResources(LOAD_BALANCERS).inNamespace(namespace).resource(r);
  }

  private static PatchContext context(boolean dryRun) {
    return new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(FIELD_MANAGER)
        .withForce(true).withDryRun(dryRun ? List.of("All") : null).build();
  }
}
