package dev.gantry.operator.gateway;

import dev.gantry.model.LoadBalancerSpec;
import dev.gantry.operator.gateway.api.BackendTlsPolicyResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Map;

/**
 * A Gateway translated: its checked listeners, the spec of the LoadBalancer that serves it (null when no
 * listener can be served), the routes attached to each listener (by name), and per route what each of its
 * parentRefs naming this Gateway is told; the copies of granted certificate Secrets of other namespaces the
 * LoadBalancer refers to, by name of the copy; what each BackendTLSPolicy targeting a Service port of the
 * Gateway's routes is told; the client certificate its proxies present to TLS backends; the ListenerSets naming
 * the Gateway, and whether each may attach. {@code listeners} holds the Gateway's own and those of its ListenerSets,
 * {@code attachedRoutes} is by {@link CheckedListener#key()}.
 */
record GatewayPlan(List<CheckedListener> listeners, LoadBalancerSpec spec, Map<String, Integer> attachedRoutes,
    Map<HasMetadata, List<ParentVerdict>> verdicts, Map<String, Secret> secretCopies,
    Map<BackendTlsPolicyResource, BackendTlsPolicies.Verdict> policies,
    GatewayClientCertificate backendClientCertificate, List<ListenerSets.Judged> listenerSets) {

  /** The listeners the Gateway itself declares. */
  List<CheckedListener> ownListeners() {
    return listeners.stream().filter(CheckedListener::ofGateway).toList();
  }

  /** The listeners a ListenerSet declares. */
  List<CheckedListener> listenersOf(ListenerOwner owner) {
    return listeners.stream().filter(l -> owner.equals(l.owner())).toList();
  }
}
