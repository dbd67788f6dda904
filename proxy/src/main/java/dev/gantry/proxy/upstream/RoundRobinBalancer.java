package dev.gantry.proxy.upstream;

import java.net.InetAddress;
import java.util.List;

/**
 * Smooth weighted round robin: weights are honoured evenly, not in bursts. Unusable endpoints are skipped
 * in the precomputed order, so the others keep their relative shares.
 */
final class RoundRobinBalancer<T extends BalancedEndpoint> implements Balancer<T> {

  private final WeightedRotation<T> rotation;

  RoundRobinBalancer(List<T> endpoints) {
    this.rotation = new WeightedRotation<>(endpoints);
  }

  @Override
  public T pick(InetAddress client, long nowNanos) {
    if (rotation.isEmpty()) {
      return null;
    }
    T e = rotation.nextUsable(nowNanos);
    // Most endpoints are out: a scan finds a survivor without walking the whole order.
    return e != null ? e : Balancer.firstUsable(rotation.endpoints(), 0, nowNanos);
  }
}
