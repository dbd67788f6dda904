package dev.gantry.operator.dependent;

import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.translate.FleetNames;
import dev.gantry.operator.translate.FleetPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * One object of a proxy fleet, owned by its LoadBalancer (so Kubernetes deletes it with it, and an edited or
 * deleted copy is put back on the next reconciliation). Subclasses only translate the {@link FleetPlan}.
 *
 * <p>When nothing of the load balancer can be served (its spec is broken as a whole), the object is left
 * as it is, unpatched: the proxies keep serving the last good model instead of losing it.
 */
public abstract class FleetDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, LoadBalancerResource> {

  protected FleetDependent(Class<R> type) {
    super(type);
  }

  @Override
  protected final R desired(LoadBalancerResource lb, Context<LoadBalancerResource> context) {
    return desired(plan(context));
  }

  /** An existing object matches while nothing can be served (ServableOrExisting lets only existing ones here). */
  @Override
  public Matcher.Result<R> match(R actual, LoadBalancerResource lb, Context<LoadBalancerResource> context) {
    if (!plan(context).resolution().servable()) {
      return Matcher.Result.computed(true, actual);
    }
    return super.match(actual, lb, context);
  }

  protected abstract R desired(FleetPlan plan);

  /** The object's name: known without computing it, which also finding the existing one must not need. */
  protected abstract String name(FleetNames names);

  @Override
  protected ResourceID targetSecondaryResourceID(LoadBalancerResource lb, Context<LoadBalancerResource> context) {
    FleetNames names = FleetNames.of(lb.getMetadata().getNamespace(), lb.getMetadata().getName());
    return new ResourceID(name(names), names.namespace());
  }

  static FleetPlan plan(Context<LoadBalancerResource> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(FleetPlan.KEY, FleetPlan.class);
  }
}
