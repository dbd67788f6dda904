package dev.gantry.proxy.upstream;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live state of every backend and endpoint, kept across configuration changes: an endpoint that stays
 * in the configuration keeps its health, ejection and active count; one that leaves it is forgotten.
 */
public final class UpstreamRegistry {

  private final Map<String, BackendState> backends = new ConcurrentHashMap<>();
  private final Map<String, EndpointState> endpoints = new ConcurrentHashMap<>();

  /** The state of backend {@code name} of load balancer {@code lbId}, created on first use. */
  public BackendState backend(String lbId, String name) {
    return backends.computeIfAbsent(lbId + "/" + name, BackendState::new);
  }

  /** The state of an endpoint ({@code address:port}) of a backend, created on first use. */
  public EndpointState endpoint(String lbId, String backend, String label) {
    BackendState b = backend(lbId, backend);
    return endpoints.computeIfAbsent(b.id() + "/" + label, k -> new EndpointState(label, b));
  }

  /** Forgets every state not in {@code keepBackends} / {@code keepEndpoints} (keys as built above). */
  public void retainOnly(Set<String> keepBackends, Set<String> keepEndpoints) {
    backends.keySet().retainAll(keepBackends);
    endpoints.keySet().retainAll(keepEndpoints);
  }

  public static String backendKey(String lbId, String backend) {
    return lbId + "/" + backend;
  }

  public static String endpointKey(String lbId, String backend, String label) {
    return lbId + "/" + backend + "/" + label;
  }
}
