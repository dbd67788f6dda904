package dev.gantry.proxy.admin;

import java.util.concurrent.atomic.LongAdder;

/** Durations in fixed buckets, recorded in nanoseconds and exposed in seconds. */
public final class Histogram implements Metric {

  /** Request latency buckets: 1 ms to 10 s. */
  public static final double[] LATENCY_BUCKETS =
      {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final double[] bounds;
  private final long[] boundsNanos;
  private final LongAdder[] counts;
  private final LongAdder sumNanos = new LongAdder();

  Histogram(double[] boundsSeconds) {
    this.bounds = boundsSeconds.clone();
    this.boundsNanos = new long[bounds.length];
    this.counts = new LongAdder[bounds.length + 1];
    for (int i = 0; i < bounds.length; i++) {
      boundsNanos[i] = (long) (bounds[i] * 1e9);
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  public void observeNanos(long nanos) {
    int i = 0;
    while (i < boundsNanos.length && nanos > boundsNanos[i]) {
      i++;
    }
    counts[i].increment();
    sumNanos.add(nanos);
  }

  public long count() {
    long n = 0;
    for (LongAdder c : counts) {
      n += c.sum();
    }
    return n;
  }

  @Override
  public void writeSamples(StringBuilder out, String name, String labels) {
    long cumulative = 0;
    String prefix = labels.isEmpty() ? "{" : labels.substring(0, labels.length() - 1) + ",";
    for (int i = 0; i < counts.length; i++) {
      cumulative += counts[i].sum();
      String le = i < bounds.length ? Double.toString(bounds[i]) : "+Inf";
      out.append(name).append("_bucket").append(prefix).append("le=\"").append(le).append("\"} ")
          .append(cumulative).append('\n');
    }
    out.append(name).append("_sum").append(labels).append(' ').append(sumNanos.sum() / 1e9).append('\n');
    out.append(name).append("_count").append(labels).append(' ').append(cumulative).append('\n');
  }
}
