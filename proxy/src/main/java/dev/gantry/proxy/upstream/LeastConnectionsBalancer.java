package dev.gantry.proxy.upstream;

import java.net.InetAddress;
import java.util.List;

/**
 * Weighted least connections: the endpoint with the fewest active requests per unit of weight. Ties (an
 * idle backend, typically) are broken in smooth weighted round-robin order, so light load still follows
 * the weights instead of piling onto the first endpoint.
 */
final class LeastConnectionsBalancer<T extends BalancedEndpoint> implements Balancer<T> {

  private final List<T> endpoints;
  private final WeightedSequence<T> order;
  private final int attempts;

  LeastConnectionsBalancer(List<T> endpoints) {
    this.endpoints = List.copyOf(endpoints);
    this.order = WeightedSequence.of(this.endpoints, BalancedEndpoint::weight);
    this.attempts = order == null ? 0 : Math.min(order.length(), 2 * this.endpoints.size() + 2);
  }

  @Override
  public T pick(InetAddress client, long nowNanos) {
    if (order == null) {
      return null;
    }
    T best = null;
    for (T e : endpoints) {
      if (e.weight() > 0 && e.usable(nowNanos) && (best == null || lighter(e, best))) {
        best = e;
      }
    }
    if (best == null) {
      return null;
    }
    for (int i = 0; i < attempts; i++) {
      T e = order.next();
      if (!lighter(best, e) && e.usable(nowNanos)) {
        return e;
      }
    }
    return best;
  }

  /** a carries less load per unit of weight than b: a.active / a.weight < b.active / b.weight. */
  private static boolean lighter(BalancedEndpoint a, BalancedEndpoint b) {
    return (long) a.state().active() * b.weight() < (long) b.state().active() * a.weight();
  }
}
