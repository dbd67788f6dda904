package dev.gantry.proxy.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * Smooth weighted round robin, precomputed: the order nginx's algorithm produces for the weights is laid out
 * once, so a pick is one atomic increment and one array read. Weights are honoured evenly (5:1:1 gives
 * a a b a c a a, not a a a a a b c), and items of weight 0 are never picked.
 */
public final class WeightedSequence<T> {

  /** Longest precomputed order; larger weight sums are scaled down to fit (error below 0.01%). */
  static final int MAX_LENGTH = 1 << 16;

  private final Object[] order;
  private final AtomicInteger cursor = new AtomicInteger();

  private WeightedSequence(Object[] order) {
    this.order = order;
  }

  /** The sequence for {@code items}, or null when no item has a positive weight. */
  public static <T> WeightedSequence<T> of(List<T> items, ToIntFunction<T> weight) {
    List<T> live = new ArrayList<>();
    List<Long> weights = new ArrayList<>();
    long sum = 0;
    for (T item : items) {
      int w = weight.applyAsInt(item);
      if (w > 0) {
        live.add(item);
        weights.add((long) w);
        sum += w;
      }
    }
    if (live.isEmpty()) {
      return null;
    }
    long[] w = reduce(weights, sum);
    int length = 0;
    for (long x : w) {
      length += (int) x;
    }
    Object[] order = new Object[length];
    long[] current = new long[w.length];
    for (int slot = 0; slot < length; slot++) {
      int best = 0;
      for (int i = 0; i < w.length; i++) {
        current[i] += w[i];
        if (current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= length;
      order[slot] = live.get(best);
    }
    return new WeightedSequence<>(order);
  }

  private static long[] reduce(List<Long> weights, long sum) {
    long g = 0;
    for (long w : weights) {
      g = gcd(g, w);
    }
    long[] out = new long[weights.size()];
    double scale = sum / g > MAX_LENGTH ? (double) MAX_LENGTH / sum : 1.0 / g;
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.max(1, Math.round(weights.get(i) * scale));
    }
    return out;
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /** The same order over other values, such as the payload of each weighted item. */
  @SuppressWarnings("unchecked")
  public <R> WeightedSequence<R> map(java.util.function.Function<T, R> f) {
    Object[] mapped = new Object[order.length];
    for (int i = 0; i < order.length; i++) {
      mapped[i] = f.apply((T) order[i]);
    }
    return new WeightedSequence<>(mapped);
  }

  @SuppressWarnings("unchecked")
  public T next() {
    return (T) order[(cursor.getAndIncrement() & Integer.MAX_VALUE) % order.length];
  }

  /** How many slots the precomputed order has. */
  public int length() {
    return order.length;
  }
}
