package dev.gantry.proxy.upstream;

/** What a balancer needs of an endpoint: its weight, its live state and a stable name. */
public interface BalancedEndpoint {

  int weight();

  EndpointState state();

  /** {@code address:port}: stable across reloads, so hash-based balancing keeps its mapping. */
  String label();

  /** Whether the endpoint can take one more request or connection now. */
  default boolean usable(long nowNanos) {
    return state().available(nowNanos) && state().hasCapacity();
  }
}
