package dev.gantry.proxy.l7;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One timer for every timeout of a connection, re-armed lazily: it only moves when a deadline comes
 * earlier than the time it is set for. When it fires, its owner works out which deadline (if any) has
 * passed and arms it again for the next one. A request that ends before the armed time costs nothing.
 */
final class LazyTimer {

  private final Runnable onFire;
  private EventExecutor executor;
  private ScheduledFuture<?> scheduled;
  private long at;

  LazyTimer(Runnable onFire) {
    this.onFire = onFire;
  }

  void bind(EventExecutor executor) {
    this.executor = executor;
  }

  /**
   * Makes sure the timer fires no later than {@code deadline} (a {@link System#nanoTime} value);
   * {@link Long#MAX_VALUE} is no deadline.
   */
  void armAtMost(long deadline) {
    if (deadline == Long.MAX_VALUE || (scheduled != null && at <= deadline)) {
      return;
    }
    if (scheduled != null) {
      scheduled.cancel(false);
    }
    at = deadline;
    scheduled = executor.schedule(this::fire, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  void cancel() {
    if (scheduled != null) {
      scheduled.cancel(false);
      scheduled = null;
    }
  }

  private void fire() {
    scheduled = null;
    onFire.run();
  }
}
