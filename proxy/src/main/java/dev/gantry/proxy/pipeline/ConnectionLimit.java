package dev.gantry.proxy.pipeline;

import dev.gantry.proxy.admin.Counter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HAProxy's global {@code maxconn}: at most {@code max} client connections open at once, over every
 * listener. At the limit the listening sockets stop accepting, so new clients wait in the kernel's accept
 * backlog (their connection is established, their request waits) and are accepted in turn as open
 * connections close. A connection accepted past the limit anyway (several event loops accepting at the
 * same moment) is closed at once.
 */
public final class ConnectionLimit {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);
  /** File descriptors kept for backend connections beyond one per client, health checks, logs and jars. */
  private static final long RESERVED_DESCRIPTORS = 100;
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final int max;
  private final Counter reached;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicBoolean paused = new AtomicBoolean();
  private final CopyOnWriteArrayList<Channel> servers = new CopyOnWriteArrayList<>();
  private final Gate gate = new Gate();
  private volatile long lastLogNanos = System.nanoTime() - LOG_INTERVAL_NANOS;

  /**
   * @param max the most client connections open at once; 0 derives it from the open-file limit
   * @param reached counts each time the limit stops the proxy from accepting
   */
  public ConnectionLimit(int max, Counter reached) {
    if (max < 0) {
      throw new IllegalArgumentException("the connection limit must be 0 (automatic) or more, not " + max);
    }
    this.max = max > 0 ? max : automatic(openFileLimit());
    this.reached = reached;
  }

  /**
   * Half the open-file limit less a reserve, as HAProxy derives its {@code maxconn}: a proxied connection
   * holds two descriptors, the client's and the backend's.
   */
  static int automatic(long openFileLimit) {
    long n = (openFileLimit - RESERVED_DESCRIPTORS) / 2;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, n));
  }

  private static long openFileLimit() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return 65_536;
  }

  public int max() {
    return max;
  }

  public int open() {
    return open.get();
  }

  /** False while the limit holds new connections back. */
  public boolean accepting() {
    return !paused.get();
  }

  /** The handler every listening socket's pipeline gets: it sees each accepted connection first. */
  ChannelHandler gate() {
    return gate;
  }

  /** Starts governing a listening socket, until it closes. */
  void watch(Channel server) {
    servers.add(server);
    server.closeFuture().addListener(f -> servers.remove(server));
    follow(server);
  }

  /** Counts a connection in; false when it is one too many. */
  private boolean admit(Channel child) {
    int n = open.incrementAndGet();
    if (n > max) {
      open.decrementAndGet();
      return false;
    }
    if (n == max) {
      pause();
    }
    child.closeFuture().addListener(f -> closed());
    return true;
  }

  private void closed() {
    if (open.decrementAndGet() < max) {
      resume();
    }
  }

  private void pause() {
    if (!paused.compareAndSet(false, true)) {
      return;
    }
    reached.increment();
    servers.forEach(this::follow);
    long now = System.nanoTime();
    if (now - lastLogNanos >= LOG_INTERVAL_NANOS) {
      lastLogNanos = now;
      LOG.warn("{} client connections open, the limit (--max-connections): new connections wait until some close",
          max);
    }
    // A connection that closed between the count and the flag found nothing to resume.
    if (open.get() < max) {
      resume();
    }
  }

  private void resume() {
    if (!paused.compareAndSet(true, false)) {
      return;
    }
    servers.forEach(this::follow);
    // A connection accepted between the count and the flag found nothing to pause.
    if (open.get() >= max) {
      pause();
    }
  }

  /**
   * Makes a listening socket accept or not, as the limit says now. On the socket's own event loop: from
   * another thread, a native socket between two accepts would go on accepting.
   */
  private void follow(Channel server) {
    if (server.eventLoop().inEventLoop()) {
      server.config().setAutoRead(!paused.get());
    } else {
      server.eventLoop().execute(() -> server.config().setAutoRead(!paused.get()));
    }
  }

  /** Counts accepted connections before the server bootstrap registers them. */
  @ChannelHandler.Sharable
  private final class Gate extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Channel child = (Channel) msg;
      if (!admit(child)) {
        // Accepted in the same instant as the connection that reached the limit, on another event loop.
        child.unsafe().closeForcibly();
        return;
      }
      ctx.fireChannelRead(child);
    }
  }
}
