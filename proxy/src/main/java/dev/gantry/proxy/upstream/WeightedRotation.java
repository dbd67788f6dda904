package dev.gantry.proxy.upstream;

import java.util.List;
import java.util.function.Predicate;

/**
 * Endpoints in smooth weighted round-robin order, with a bounded search for the next one that qualifies:
 * the shared core of {@link RoundRobinBalancer} and the tie-breaking of {@link LeastConnectionsBalancer}.
 */
final class WeightedRotation<T extends BalancedEndpoint> {

  private final List<T> endpoints;
  private final WeightedSequence<T> order;
  private final int attempts;

  WeightedRotation(List<T> endpoints) {
    this.endpoints = List.copyOf(endpoints);
    this.order = WeightedSequence.of(this.endpoints, BalancedEndpoint::weight);
    this.attempts = order == null ? 0 : Math.min(order.length(), 2 * this.endpoints.size() + 2);
  }

  List<T> endpoints() {
    return endpoints;
  }

  /** False when every weight is 0. */
  boolean isEmpty() {
    return order == null;
  }

  /** The next usable endpoint in the order, within a few turns; null if none was. Allocation-free. */
  T nextUsable(long nowNanos) {
    for (int i = 0; i < attempts; i++) {
      T e = order.next();
      if (e.usable(nowNanos)) {
        return e;
      }
    }
    return null;
  }

  /** The next endpoint in the order that passes {@code test}, within a few turns; null if none did. */
  T next(Predicate<T> test) {
    for (int i = 0; i < attempts; i++) {
      T e = order.next();
      if (test.test(e)) {
        return e;
      }
    }
    return null;
  }
}
