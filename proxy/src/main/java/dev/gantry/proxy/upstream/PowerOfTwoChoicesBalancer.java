package dev.gantry.proxy.upstream;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random with two choices: two endpoints drawn at random by weight, the less loaded (per unit of weight)
 * wins. It spreads load nearly as well as least connections without looking at every endpoint.
 */
final class PowerOfTwoChoicesBalancer<T extends BalancedEndpoint> implements Balancer<T> {

  private final List<T> endpoints;
  private final long[] cumulative;
  private final long total;

  PowerOfTwoChoicesBalancer(List<T> endpoints) {
    this.endpoints = List.copyOf(endpoints);
    this.cumulative = new long[this.endpoints.size()];
    long sum = 0;
    for (int i = 0; i < cumulative.length; i++) {
      sum += Math.max(0, this.endpoints.get(i).weight());
      cumulative[i] = sum;
    }
    this.total = sum;
  }

  @Override
  public T pick(InetAddress client, long nowNanos) {
    if (total == 0) {
      return null;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int a = draw(random);
    int b = draw(random);
    if (b == a && endpoints.size() > 1) {
      b = draw(random);
    }
    T first = endpoints.get(a);
    T second = endpoints.get(b);
    boolean firstOk = first.usable(nowNanos);
    boolean secondOk = second.usable(nowNanos);
    if (firstOk && secondOk) {
      return (long) second.state().active() * first.weight() < (long) first.state().active() * second.weight()
          ? second : first;
    }
    if (firstOk) {
      return first;
    }
    if (secondOk) {
      return second;
    }
    return Balancer.firstUsable(endpoints, random.nextInt(endpoints.size()), nowNanos);
  }

  /** An endpoint index with probability proportional to its weight. */
  private int draw(ThreadLocalRandom random) {
    long r = random.nextLong(total);
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > r) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
