package dev.gantry.proxy.upstream;

import java.net.InetAddress;
import java.util.List;

/**
 * Smooth weighted round robin: weights are honoured evenly, not in bursts. Unusable endpoints are skipped
 * in the precomputed order, so the others keep their relative shares.
 */
final class RoundRobinBalancer<T extends BalancedEndpoint> implements Balancer<T> {

  private final List<T> endpoints;
  private final WeightedSequence<T> order;
  private final int attempts;

  RoundRobinBalancer(List<T> endpoints) {
    this.endpoints = List.copyOf(endpoints);
    this.order = WeightedSequence.of(this.endpoints, BalancedEndpoint::weight);
    this.attempts = order == null ? 0 : Math.min(order.length(), 2 * this.endpoints.size() + 2);
  }

  @Override
  public T pick(InetAddress client, long nowNanos) {
    if (order == null) {
      return null;
    }
    for (int i = 0; i < attempts; i++) {
      T e = order.next();
      if (e.usable(nowNanos)) {
        return e;
      }
    }
    // Most endpoints are out: a scan finds a survivor without walking the whole order.
    return Balancer.firstUsable(endpoints, 0, nowNanos);
  }
}
