package dev.gantry.proxy.config;

import dev.gantry.proxy.admin.Counter;

/**
 * A backend that gets a copy of a share of a route's requests. {@code threshold} is the share as a bound on a
 * uniform random long, so the per-request decision is one comparison; {@code sent} and {@code dropped} count
 * the copies that reached the backend whole and those given up.
 */
public record MirrorTarget(BackendRuntime backend, long threshold, Counter sent, Counter dropped) {

  /** Out of how many draws {@link #threshold} counts: a share of 33.333% keeps its decimals. */
  public static final long SCALE = 100_000_000L;

  /** The threshold for {@code percent} (0 to 100). */
  public static long threshold(double percent) {
    return Math.round(percent / 100 * SCALE);
  }

  /** Whether a request whose draw, from 0 (inclusive) to {@link #SCALE} (exclusive), is copied. */
  public boolean takes(long draw) {
    return draw < threshold;
  }
}
