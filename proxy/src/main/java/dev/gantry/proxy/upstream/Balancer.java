package dev.gantry.proxy.upstream;

import dev.gantry.model.Balance;
import java.net.InetAddress;
import java.util.List;

/**
 * Chooses the endpoint for the next request or connection among those that are available (healthy, not
 * ejected) and have capacity. Endpoints of weight 0 are never chosen: they drain. Implementations are
 * immutable apart from lock-free counters and are shared by every event loop.
 */
public interface Balancer<T extends BalancedEndpoint> {

  /** The chosen endpoint, or null when none is usable now. */
  T pick(InetAddress client, long nowNanos);

  static <T extends BalancedEndpoint> Balancer<T> of(Balance balance, List<T> endpoints) {
    return switch (balance) {
      case RoundRobin -> new RoundRobinBalancer<>(endpoints);
      case LeastConnections -> new LeastConnectionsBalancer<>(endpoints);
      case Random -> new PowerOfTwoChoicesBalancer<>(endpoints);
      case SourceHash -> new ConsistentHashBalancer<>(endpoints);
    };
  }

  /** The first usable endpoint from {@code start} on, wrapping around; the fallback when the rule finds none. */
  static <T extends BalancedEndpoint> T firstUsable(List<T> endpoints, int start, long nowNanos) {
    int n = endpoints.size();
    for (int i = 0; i < n; i++) {
      T e = endpoints.get((start + i) % n);
      if (e.weight() > 0 && e.usable(nowNanos)) {
        return e;
      }
    }
    return null;
  }
}
