package dev.gantry.proxy.log;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.event.Level;

/**
 * Log lines on their way out. A caller hands a line over and never waits: when the queue is full the line is
 * dropped and counted. One daemon thread writes the lines out, and once the queue has drained after drops,
 * says how many in a line of its own.
 */
final class LogQueue {

  /** As many lines as the event loops may log in a burst before the writer catches up. */
  static final int CAPACITY = 8192;

  private final BlockingQueue<String> lines;
  private final OutputStream out;
  private final LineFormat format;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile long written;

  LogQueue(int capacity, OutputStream out, LineFormat format) {
    this.lines = new ArrayBlockingQueue<>(capacity);
    this.out = out;
    this.format = format;
  }

  /** Starts the writer thread; a daemon, so it never holds the process up. */
  LogQueue start() {
    Thread writer = new Thread(this::writeUntilInterrupted, "gantry-log");
    writer.setDaemon(true);
    writer.start();
    return this;
  }

  void offer(String line) {
    if (lines.offer(line)) {
      accepted.incrementAndGet();
    } else {
      dropped.incrementAndGet();
    }
  }

  /** Waits up to {@code timeout} until every line handed over before this call is written; false if it ran out. */
  boolean flush(Duration timeout) {
    long target = accepted.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (written < target) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    return true;
  }

  private void writeUntilInterrupted() {
    long count = 0;
    try {
      while (true) {
        write(lines.take());
        count++;
        if (lines.isEmpty()) {
          reportDropped();
        }
        written = count;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void reportDropped() {
    long n = dropped.getAndSet(0);
    if (n > 0) {
      write(format.line(Level.WARN, LogQueue.class.getName(), n + " log lines dropped: the log queue was full", null));
    }
  }

  private void write(String line) {
    try {
      out.write(line.getBytes(UTF_8));
      out.flush();
    } catch (IOException e) {
      // stderr itself failed: there is nowhere left to say so.
    }
  }
}
