package dev.gantry.proxy.admin;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The access log: event loops hand over finished lines without blocking or locking; one writer thread
 * writes them out. When the writer falls behind by {@link #MAX_QUEUED} lines, new lines are dropped and
 * counted rather than slowing traffic down.
 */
public final class AccessLog implements AutoCloseable {

  static final int MAX_QUEUED = 65_536;

  private static final AccessLog DISABLED = new AccessLog();

  private final AccessLogFormat format;
  private final BufferedWriter out;
  private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();
  private final Thread writer;
  private final Consumer<String> tap;
  private volatile boolean closed;

  private AccessLog() {
    this.format = null;
    this.out = null;
    this.writer = null;
    this.tap = null;
  }

  private AccessLog(AccessLogFormat format, OutputStream stream, Consumer<String> tap) {
    this.format = format;
    this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 64 * 1024);
    this.tap = tap;
    this.writer = new Thread(this::drain, "gantry-access-log");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  public static AccessLog disabled() {
    return DISABLED;
  }

  public static AccessLog to(OutputStream stream, AccessLogFormat format) {
    return new AccessLog(format, stream, null);
  }

  /** Also hands every line to {@code tap} on the writer thread (tests read the log this way). */
  public static AccessLog to(OutputStream stream, AccessLogFormat format, Consumer<String> tap) {
    return new AccessLog(format, stream, tap);
  }

  public static AccessLog toFile(Path file, AccessLogFormat format) {
    try {
      return new AccessLog(format, Files.newOutputStream(file, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.WRITE), null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open access log " + file + ": " + e.getMessage(), e);
    }
  }

  public boolean enabled() {
    return format != null;
  }

  /** Lines dropped because the writer could not keep up. */
  public long dropped() {
    return dropped.sum();
  }

  public void log(AccessRecord record) {
    if (format == null || closed) {
      return;
    }
    if (reserve()) {
      queue.offer(format.format(record));
    }
  }

  /** A TCP or TLS-passthrough connection, logged when it closes. */
  public void log(ConnectionRecord record) {
    if (format == null || closed) {
      return;
    }
    if (reserve()) {
      queue.offer(format.format(record));
    }
  }

  /** Takes a place in the queue, or counts the line as dropped when the writer is too far behind. */
  private boolean reserve() {
    if (queued.incrementAndGet() > MAX_QUEUED) {
      queued.decrementAndGet();
      dropped.increment();
      return false;
    }
    return true;
  }

  private void drain() {
    try {
      while (!closed || !queue.isEmpty()) {
        String line = queue.poll();
        if (line == null) {
          out.flush();
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
          continue;
        }
        queued.decrementAndGet();
        out.write(line);
        out.write('\n');
        if (tap != null) {
          tap.accept(line);
        }
      }
      out.flush();
    } catch (IOException e) {
      // Nowhere left to report to: the log itself is the output that failed.
      closed = true;
    }
  }

  @Override
  public void close() {
    if (format == null) {
      return;
    }
    closed = true;
    try {
      writer.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
