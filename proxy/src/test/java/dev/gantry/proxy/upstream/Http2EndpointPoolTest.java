package dev.gantry.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The pool's bookkeeping over connections on embedded channels, the server's frames written in by hand: who
 * waits for SETTINGS, when a second connection opens, GOAWAY, and idle connections closing.
 */
class Http2EndpointPoolTest {

  final List<EmbeddedChannel> channels = new ArrayList<>();
  final Http2EndpointPool pool = new Http2EndpointPool(new InetSocketAddress("127.0.0.1", 9), null, (p, timeout) -> {
    EmbeddedChannel ch = new EmbeddedChannel();
    channels.add(ch);
    Http2Connection c = new Http2Connection(p, ch);
    c.start();
    return c;
  });
  final Taker taker = new Taker();

  /** Records what the pool gave. */
  static final class Taker implements UpstreamListener {
    final List<UpstreamConnection> streams = new ArrayList<>();
    final List<Boolean> reused = new ArrayList<>();
    int failed;

    @Override
    public void upstreamConnected(UpstreamConnection connection, boolean reused, long attempt) {
      streams.add(connection);
      this.reused.add(reused);
    }

    @Override
    public void upstreamConnectFailed(long attempt, Throwable cause) {
      failed++;
    }

    @Override
    public void upstreamRead(Object msg) {
    }

    @Override
    public void upstreamReadComplete() {
    }

    @Override
    public void upstreamWritabilityChanged() {
    }

    @Override
    public void upstreamClosed() {
    }
  }

  /** A server's SETTINGS frame, with SETTINGS_MAX_CONCURRENT_STREAMS when {@code maxStreams} >= 0. */
  static ByteBuf settings(int maxStreams) {
    ByteBuf b = Unpooled.buffer();
    b.writeMedium(maxStreams >= 0 ? 6 : 0).writeByte(4).writeByte(0).writeInt(0);
    if (maxStreams >= 0) {
      b.writeShort(3).writeInt(maxStreams);
    }
    return b;
  }

  static ByteBuf goAway(int lastStreamId) {
    return Unpooled.buffer().writeMedium(8).writeByte(7).writeByte(0).writeInt(0).writeInt(lastStreamId).writeInt(0);
  }

  @Test
  void takersWaitForTheServersSettingsAndThoseBeyondItsLimitGoToASecondConnection() {
    for (int i = 0; i < 3; i++) {
      pool.acquire(taker, i, 1000, true);
    }
    assertThat(channels).hasSize(1);
    assertThat(taker.streams).isEmpty();

    channels.get(0).writeInbound(settings(2));
    assertThat(taker.streams).hasSize(2);
    assertThat(channels).as("the third taker needs another connection").hasSize(2);

    channels.get(1).writeInbound(settings(-1));
    assertThat(taker.streams).hasSize(3);
    assertThat(taker.reused).as("streams of new connections are not reused ones").containsOnly(false);

    pool.acquire(taker, 3, 1000, true);
    assertThat(taker.streams).hasSize(4);
    assertThat(taker.reused.get(3)).isTrue();
    assertThat(channels).hasSize(2);
  }

  @Test
  void aConnectionThatGotGoAwayTakesNoNewStreamAndClosesAfterItsLast() {
    pool.acquire(taker, 0, 1000, true);
    channels.get(0).writeInbound(settings(-1));
    channels.get(0).writeInbound(goAway(Integer.MAX_VALUE));

    pool.acquire(taker, 1, 1000, true);
    assertThat(channels).hasSize(2);
    assertThat(channels.get(0).isOpen()).as("a stream is still open on it").isTrue();

    taker.streams.get(0).close();
    channels.get(0).runPendingTasks();
    assertThat(channels.get(0).isOpen()).isFalse();
  }

  @Test
  void aConnectionIdleForTheTimeoutIsClosed() {
    pool.acquire(taker, 0, 1000, true);
    channels.get(0).writeInbound(settings(-1));
    taker.streams.get(0).release();
    channels.get(0).runPendingTasks();

    long idle = TimeUnit.SECONDS.toNanos(30);
    pool.closeIdleSince(System.nanoTime(), idle);
    assertThat(channels.get(0).isOpen()).isTrue();

    pool.closeIdleSince(System.nanoTime() + idle + 1, idle);
    assertThat(channels.get(0).isOpen()).isFalse();
    assertThat(pool.connectionCount()).isZero();
  }

  @Test
  void aConnectionClosedBeforeItsSettingsFailsEveryWaiter() {
    pool.acquire(taker, 0, 1000, true);
    pool.acquire(taker, 1, 1000, true);
    channels.get(0).close();

    assertThat(taker.failed).isEqualTo(2);
    assertThat(pool.connectionCount()).isZero();
  }
}
