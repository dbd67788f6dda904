package dev.gantry.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A thread's buffer is reused once whoever it was handed to has released it, and never before. */
class LoopBufferTest {

  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

  @Test
  void aBufferReleasedByWhoeverItWasHandedToIsTakenAgainEmpty() {
    ByteBuf first = LoopBuffer.take(ALLOC, 100);
    first.writeCharSequence("GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII);
    first.release(); // the socket sent it

    ByteBuf second = LoopBuffer.take(ALLOC, 100);
    assertThat(second).isSameAs(first);
    assertThat(second.isReadable()).isFalse();
    assertThat(second.isDirect()).isTrue();
    second.release();
  }

  @Test
  void aBufferStillHeldIsLeftAloneAndAnotherIsGiven() {
    ByteBuf pending = LoopBuffer.take(ALLOC, 100);
    pending.writeCharSequence("still being sent", StandardCharsets.US_ASCII);

    ByteBuf other = LoopBuffer.take(ALLOC, 100);
    other.writeCharSequence("next head", StandardCharsets.US_ASCII);

    assertThat(other).isNotSameAs(pending);
    assertThat(pending.toString(StandardCharsets.US_ASCII)).isEqualTo("still being sent");
    other.release();
    pending.release();
    ByteBuf again = LoopBuffer.take(ALLOC, 100);
    assertThat(again).as("the thread's own buffer, free again").isSameAs(pending);
    again.release();
  }

  @Test
  void moreThanItsCapacityIsAnotherBuffer() {
    ByteBuf own = LoopBuffer.take(ALLOC, 100);
    own.release();

    ByteBuf large = LoopBuffer.take(ALLOC, LoopBuffer.CAPACITY + 1);
    assertThat(large).isNotSameAs(own);
    assertThat(large.capacity()).isGreaterThan(LoopBuffer.CAPACITY);
    large.release();
    assertThat(large.refCnt()).isZero();
  }

  @Test
  void aBufferThatGrewFarBeyondItsCapacityIsNotKept() {
    ByteBuf grown = LoopBuffer.take(ALLOC, 100);
    grown.writeZero(8 * LoopBuffer.CAPACITY); // a head far larger than asked for
    grown.release();

    ByteBuf next = LoopBuffer.take(ALLOC, 100);
    assertThat(next).isNotSameAs(grown);
    assertThat(grown.refCnt()).as("released for good").isZero();
    assertThat(next.capacity()).isEqualTo(LoopBuffer.CAPACITY);
    next.release();
  }
}
