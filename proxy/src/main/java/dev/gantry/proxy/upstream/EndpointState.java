package dev.gantry.proxy.upstream;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the proxy knows of one endpoint while it serves traffic: how many requests (HTTP) or connections
 * (TCP) use it now, what active health checks say, and whether passive health has ejected it. It outlives
 * reloads (it is keyed by load balancer, backend and address) and is shared by every event loop, so every
 * field is atomic or volatile.
 *
 * <p>Callers report each use: {@link #tryOpen} (or {@link #opened}) when a request or connection starts
 * using the endpoint, {@link #closed} exactly once when it ends, and the outcome through {@link #succeeded}
 * or {@link #failed}.
 */
public final class EndpointState {

  /** What active health checks concluded. */
  public enum Health {
    /** Not checked (no health check, or no conclusion yet): treated as healthy. */
    UNCHECKED,
    HEALTHY,
    UNHEALTHY
  }

  private final String label;
  private final BackendState backend;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final AtomicLong ejections = new AtomicLong();
  private volatile int maxActive;
  private volatile Health health = Health.UNCHECKED;
  private volatile long ejectedUntilNanos;
  private volatile long lastEjectionNanos;
  private volatile int ejectionsInARow;
  private volatile long lastEjectionDurationNanos;
  private int checkSuccessesInARow;
  private int checkFailuresInARow;

  EndpointState(String label, BackendState backend) {
    this.label = label;
    this.backend = backend;
  }

  public String label() {
    return label;
  }

  public BackendState backend() {
    return backend;
  }

  // ------------------------------------------------------------------ load

  /** Requests (HTTP) or connections (TCP) using the endpoint now. */
  public int active() {
    return active.get();
  }

  /** The most requests or connections at once; 0 for no limit. Set when a configuration is compiled. */
  public void setMaxActive(int max) {
    this.maxActive = max;
  }

  public int maxActive() {
    return maxActive;
  }

  public boolean hasCapacity() {
    int max = maxActive;
    return max <= 0 || active.get() < max;
  }

  /** Takes a slot if the limit allows; false when the endpoint is full. */
  public boolean tryOpen() {
    int max = maxActive;
    if (max <= 0) {
      active.incrementAndGet();
      return true;
    }
    while (true) {
      int n = active.get();
      if (n >= max) {
        return false;
      }
      if (active.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Takes a slot regardless of the limit. */
  public void opened() {
    active.incrementAndGet();
  }

  /** Gives a slot back; a request waiting in the backend's queue may take it. */
  public void closed() {
    active.decrementAndGet();
    backend.slotFreed();
  }

  // ------------------------------------------------------------------ availability

  /** Whether the endpoint may take new traffic: not failing its checks and not ejected. */
  public boolean available(long nowNanos) {
    if (health == Health.UNHEALTHY) {
      return false;
    }
    long until = ejectedUntilNanos;
    return until == 0 || nowNanos - until >= 0;
  }

  public Health health() {
    return health;
  }

  public boolean ejected(long nowNanos) {
    long until = ejectedUntilNanos;
    return until != 0 && nowNanos - until < 0;
  }

  public long ejectedForMillis(long nowNanos) {
    long until = ejectedUntilNanos;
    return until == 0 || nowNanos - until >= 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(until - nowNanos);
  }

  public long ejections() {
    return ejections.get();
  }

  public int consecutiveFailures() {
    return consecutiveFailures.get();
  }

  // ------------------------------------------------------------------ passive health

  /** A response below 500 (or a TCP connection that worked): the failure streak ends. */
  public void succeeded() {
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
  }

  /** A connect failure, a reset, a timeout or a 5xx response. Returns the failure streak. */
  public int failed() {
    return consecutiveFailures.incrementAndGet();
  }

  public void connectFailed() {
    failed();
  }

  public void connectSucceeded() {
  }

  /**
   * Takes the endpoint out of rotation for a back-off that doubles with each ejection in a row (reset
   * once the endpoint has stayed in for twice its last ejection).
   */
  void eject(long nowNanos, long baseNanos, long maxNanos) {
    long lastReturn = lastEjectionNanos + lastEjectionDurationNanos;
    if (ejectionsInARow > 0 && nowNanos - lastReturn > 2 * lastEjectionDurationNanos) {
      ejectionsInARow = 0;
    }
    int shift = Math.min(ejectionsInARow, 20);
    long duration = Math.min(maxNanos, baseNanos << shift);
    ejectionsInARow++;
    lastEjectionNanos = nowNanos;
    lastEjectionDurationNanos = duration;
    ejectedUntilNanos = nowNanos + duration;
    consecutiveFailures.set(0);
    ejections.incrementAndGet();
  }

  // ------------------------------------------------------------------ active health checks

  /**
   * One active check result. After {@code rise} successes in a row the endpoint is healthy (and any passive
   * ejection ends); after {@code fall} failures in a row it is unhealthy. Called from one thread only.
   */
  public synchronized void checked(boolean ok, int rise, int fall) {
    if (ok) {
      checkFailuresInARow = 0;
      checkSuccessesInARow++;
      if (checkSuccessesInARow >= rise && health != Health.HEALTHY) {
        health = Health.HEALTHY;
      }
      if (checkSuccessesInARow >= rise && ejectedUntilNanos != 0) {
        ejectedUntilNanos = 0;
        consecutiveFailures.set(0);
      }
    } else {
      checkSuccessesInARow = 0;
      checkFailuresInARow++;
      if (checkFailuresInARow >= fall && health != Health.UNHEALTHY) {
        health = Health.UNHEALTHY;
      }
    }
    if (health != Health.UNHEALTHY) {
      backend.slotFreed();
    }
  }

  /** Forgets what checks said, when a backend stops being checked. */
  public synchronized void uncheck() {
    health = Health.UNCHECKED;
    checkSuccessesInARow = 0;
    checkFailuresInARow = 0;
  }
}
