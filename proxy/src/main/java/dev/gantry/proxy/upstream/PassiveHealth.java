package dev.gantry.proxy.upstream;

import java.util.concurrent.TimeUnit;

/**
 * Outlier detection, on for every backend: after {@link #CONSECUTIVE_FAILURES} failures in a row (connect
 * failures, resets, timeouts, 5xx responses) an endpoint is ejected for {@link #BASE_EJECTION}, doubling
 * with each ejection in a row up to {@link #MAX_EJECTION}. It returns when the time is up, or as soon as
 * an active health check passes. At most {@link #MAX_EJECTED_PERCENT}% of a backend's endpoints (rounded
 * down) are ejected at once: a backend with one endpoint is never ejected, so a partial outage does not
 * become a total one.
 */
public final class PassiveHealth {

  public static final int CONSECUTIVE_FAILURES = 5;
  public static final long BASE_EJECTION = TimeUnit.SECONDS.toNanos(10);
  public static final long MAX_EJECTION = TimeUnit.MINUTES.toNanos(5);
  public static final int MAX_EJECTED_PERCENT = 50;

  private PassiveHealth() {
  }

  /** How many of {@code endpoints} may be ejected at once. */
  public static int maxEjected(int endpoints) {
    return endpoints * MAX_EJECTED_PERCENT / 100;
  }

  /** Ejects {@code e} (now) for its back-off. Callers check {@link #maxEjected} first. */
  public static void eject(EndpointState e, long nowNanos) {
    e.eject(nowNanos, BASE_EJECTION, MAX_EJECTION);
  }
}
