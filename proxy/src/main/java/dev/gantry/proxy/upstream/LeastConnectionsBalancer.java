package dev.gantry.proxy.upstream;

import java.net.InetAddress;
import java.util.List;

/**
 * Weighted least connections: the endpoint with the fewest active requests per unit of weight. Ties (an
 * idle backend, typically) are broken in smooth weighted round-robin order, so light load still follows
 * the weights instead of piling onto the first endpoint.
 */
final class LeastConnectionsBalancer<T extends BalancedEndpoint> implements Balancer<T> {

  private final WeightedRotation<T> rotation;

  LeastConnectionsBalancer(List<T> endpoints) {
    this.rotation = new WeightedRotation<>(endpoints);
  }

  @Override
  public T pick(InetAddress client, long nowNanos) {
    if (rotation.isEmpty()) {
      return null;
    }
    T best = null;
    for (T e : rotation.endpoints()) {
      if (e.weight() > 0 && e.usable(nowNanos) && (best == null || lighter(e, best))) {
        best = e;
      }
    }
    if (best == null) {
      return null;
    }
    T least = best;
    T tied = rotation.next(e -> !lighter(least, e) && e.usable(nowNanos));
    return tied != null ? tied : best;
  }

  /** a carries less load per unit of weight than b: a.active / a.weight < b.active / b.weight. */
  private static boolean lighter(BalancedEndpoint a, BalancedEndpoint b) {
    return (long) a.state().active() * b.weight() < (long) b.state().active() * a.weight();
  }
}
