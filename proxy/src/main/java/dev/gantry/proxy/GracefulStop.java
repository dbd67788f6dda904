package dev.gantry.proxy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The way out on SIGTERM or SIGINT, installed before the proxy starts: a stop at any moment after that leaves
 * the way {@link GantryProxy#shutdown} describes (not ready at once, serving on for the shutdown delay, then
 * draining), never abruptly. A stop that comes while the proxy is still starting waits for it to have started.
 * What feeds the proxy its configuration is closed first, in the order it was added.
 */
public final class GracefulStop {

  /** How long a stop waits for a proxy that is still starting. */
  private static final long START_WAIT_SECONDS = 30;

  private final CompletableFuture<GantryProxy> proxy = new CompletableFuture<>();
  private final List<AutoCloseable> closeFirst = new CopyOnWriteArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread hook;

  private GracefulStop(Duration delay, Duration drainTimeout) {
    hook = new Thread(() -> {
      try {
        for (AutoCloseable c : closeFirst) {
          close(c);
        }
        GantryProxy started = startedProxy();
        if (started != null) {
          started.shutdown(delay, drainTimeout);
        }
      } finally {
        Logs.flush();
        stopped.countDown();
      }
    }, "gantry-shutdown");
  }

  /** Registers the stop, with the shutdown delay and drain timeout given, before the proxy starts. */
  public static GracefulStop install(Main.RuntimeOptions runtime) {
    GracefulStop stop = new GracefulStop(runtime.shutdownDelay, runtime.drainTimeout);
    Runtime.getRuntime().addShutdownHook(stop.hook);
    return stop;
  }

  /** The proxy that has now started, which a stop shuts down; returns it. */
  public GantryProxy serving(GantryProxy started) {
    proxy.complete(started);
    return started;
  }

  /** Closes {@code c} before the proxy shuts down; returns it. */
  public <T extends AutoCloseable> T closeFirst(T c) {
    closeFirst.add(c);
    return c;
  }

  /**
   * For a start that failed: its caller closes whatever started at once, and the exit does not drain. Returns
   * false when a stop had already begun, which then runs to its end.
   */
  public boolean cancel() {
    proxy.complete(null);
    try {
      return Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyStopping) {
      return false;
    }
  }

  /** Blocks until the stop has run; returns the exit code. */
  public int awaitStop() throws InterruptedException {
    stopped.await();
    return 0;
  }

  private GantryProxy startedProxy() {
    try {
      return proxy.get(START_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      return null;
    }
  }

  private static void close(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // Shutting down: there is nobody left to tell.
    }
  }
}
