package dev.gantry.operator.dependent;

import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.translate.FleetNames;
import dev.gantry.operator.translate.FleetPlan;
import dev.gantry.operator.translate.ServiceManifest;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the fleet is reached: its addresses become the load balancer's. A cluster IP cannot be changed in place, so
 * a Service whose cluster IPs differ from those {@code spec.service.addresses} asks for is replaced (deleted, then
 * created), once the API server said it would allocate the new ones. Addresses the API server refuses leave a {@link ServiceAddressRefusal} for the status instead of
 * failing the whole reconciliation.
 */
@KubernetesDependent(informer = @Informer(name = "fleet-service", labelSelector = FleetNames.MANAGED_SELECTOR))
public final class ServiceDependent extends FleetDependent<Service> {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceDependent.class);
  /** How long a replaced Service may take to be gone before its successor is created. */
  private static final long REPLACE_WAIT_SECONDS = 10;
  /** What the API server answers a Service it refuses as invalid, as a cluster IP it cannot allocate. */
  private static final int UNPROCESSABLE_ENTITY = 422;
  private static final int CONFLICT = 409;

  public ServiceDependent() {
    super(Service.class);
  }

  @Override
  public ReconcileResult<Service> reconcile(LoadBalancerResource lb, Context<LoadBalancerResource> context) {
    FleetPlan plan = plan(context);
    Optional<Service> actual = getSecondaryResource(lb, context);
    try {
      if (plan.resolution().servable() && actual.isPresent()
          && ServiceManifest.addressesChange(actual.get(), plan)) {
        checkAddresses(context, desired(plan));
        LOG.info("{}: replacing its Service {} for cluster IPs {}", lb.describe(), actual.get().getMetadata().getName(),
            plan.service().addressesOrEmpty());
        context.getClient().resource(actual.get()).withTimeout(REPLACE_WAIT_SECONDS, TimeUnit.SECONDS).delete();
        return ReconcileResult.resourceCreated(handleCreate(desired(plan), lb, context));
      }
      return super.reconcile(lb, context);
    } catch (KubernetesClientException e) {
      if (e.getCode() != UNPROCESSABLE_ENTITY || plan.service().addressesOrEmpty().isEmpty()) {
        throw e;
      }
      String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
          : e.getMessage();
      context.managedWorkflowAndDependentResourceContext().put(ServiceAddressRefusal.KEY,
          new ServiceAddressRefusal(plan.service().addressesOrEmpty(), reason));
      return ReconcileResult.noOperation(getSecondaryResource(lb, context).orElse(null));
    }
  }

  /**
   * Asks the API server whether it would allocate the new Service's cluster IPs, before the Service holding the old
   * ones is deleted: a dry-run create answers 422 for addresses it refuses, else 409 (the name is taken, by the
   * Service to replace), so a refused address leaves the current Service serving.
   */
  private static void checkAddresses(Context<LoadBalancerResource> context, Service next) {
    try {
      context.getClient().resource(next).dryRun().create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != CONFLICT) {
        throw e;
      }
    }
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
