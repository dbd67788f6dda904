package dev.gantry.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LogQueueTest {

  static final LineFormat FORMAT =
      new LineFormat(Clock.fixed(Instant.parse("2026-11-30T08:45:22.493Z"), ZoneOffset.UTC));

  /** Writes slowly, as a stderr piped to a busy reader does. */
  static final class SlowSink extends ByteArrayOutputStream {
    @Override
    public synchronized void write(byte[] b, int off, int len) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      super.write(b, off, len);
    }

    String text() {
      return toString(StandardCharsets.UTF_8);
    }
  }

  /** Holds every write until released. */
  static final class HeldSink extends OutputStream {
    final CountDownLatch released = new CountDownLatch(1);

    @Override
    public void write(int b) {
      try {
        released.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  @Timeout(30)
  void aFullQueueDropsLinesWithoutWaitingAndTheWriterSaysHowManyOnceItDrains() {
    SlowSink out = new SlowSink();
    LogQueue queue = new LogQueue(3, out, FORMAT);
    for (int i = 1; i <= 10; i++) {
      queue.offer("line " + i + "\n");
    }

    queue.start();

    assertThat(queue.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(out.text()).isEqualTo("line 1\nline 2\nline 3\n"
        + "2026-11-30T08:45:22.493Z WARN  LogQueue - 7 log lines dropped: the log queue was full\n");
  }

  @Test
  void flushReturnsOnceEveryQueuedLineIsWritten() {
    SlowSink out = new SlowSink();
    LogQueue queue = new LogQueue(LogQueue.CAPACITY, out, FORMAT).start();
    for (int i = 1; i <= 100; i++) {
      queue.offer("line " + i + "\n");
    }

    assertThat(queue.flush(Duration.ofSeconds(20))).isTrue();

    assertThat(out.text().lines()).hasSize(100).startsWith("line 1").endsWith("line 100");
  }

  @Test
  void flushWaitsNoLongerThanItIsAllowed() {
    HeldSink out = new HeldSink();
    LogQueue queue = new LogQueue(LogQueue.CAPACITY, out, FORMAT).start();
    queue.offer("stuck\n");

    assertThat(queue.flush(Duration.ofMillis(200))).isFalse();

    out.released.countDown();
    assertThat(queue.flush(Duration.ofSeconds(10))).isTrue();
  }
}
