package dev.gantry.operator.gateway;

import dev.gantry.model.LoadBalancerSpec;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import java.util.List;
import java.util.Map;

/**
 * A Gateway translated: its checked listeners, the spec of the LoadBalancer that serves it (null when no
 * listener can be served), the routes attached to each listener (by name), and per HTTPRoute what each of its
 * parentRefs naming this Gateway is told.
 */
record GatewayPlan(List<CheckedListener> listeners, LoadBalancerSpec spec, Map<String, Integer> attachedRoutes,
    Map<HttpRouteResource, List<ParentVerdict>> verdicts) {
}
