package dev.gantry.operator.dependent;

import dev.gantry.operator.api.LoadBalancerResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Reconcile a fleet object when there is something to serve, or when it exists already (then it is kept
 * as it is). A load balancer broken from its first version gets no fleet until it is fixed.
 */
public final class ServableOrExisting implements Condition<Object, LoadBalancerResource> {

  @Override
  public boolean isMet(DependentResource<Object, LoadBalancerResource> dependent, LoadBalancerResource lb,
      Context<LoadBalancerResource> context) {
    return FleetDependent.plan(context).resolution().servable() || dependent.getSecondaryResource(lb, context).isPresent();
  }
}
