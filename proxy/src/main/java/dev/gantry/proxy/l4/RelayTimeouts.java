package dev.gantry.proxy.l4;

import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of a relay: the ClientHello timeout while routing, the tunnel (inactivity) timeout while
 * relaying. Connecting is bounded by the connect timeout of the dial itself.
 */
final class RelayTimeouts {

  private final RelayConnection conn;
  private final Runnable timerTask = this::onTimer;
  private ScheduledFuture<?> timer;

  RelayTimeouts(RelayConnection conn) {
    this.conn = conn;
  }

  void arm(long deadline) {
    if (timer != null) {
      timer.cancel(false);
    }
    timer = conn.ctx.executor().schedule(timerTask, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void onTimer() {
    timer = null;
    long now = System.nanoTime();
    long deadline;
    String expired;
    switch (conn.state) {
      case ROUTING -> {
        deadline = conn.startNanos + conn.listener.timeouts().clientNanos();
        expired = "cR";
      }
      case RELAYING -> {
        deadline = conn.lastActivityNanos + conn.listener.timeouts().tunnelNanos();
        expired = "cD";
      }
      default -> {
        // Connecting is bounded by the connect timeout of the dial itself.
        return;
      }
    }
    if (now - deadline < 0) {
      arm(deadline);
    } else {
      conn.end(expired);
    }
  }
}
