package dev.gantry.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * One buffer per event loop that the heads and small responses the proxy writes are put in, again and again.
 * Whoever takes it holds one reference and hands it on with the write; once the socket (or TLS) has sent what it
 * was handed and released it, only this class's own reference is left and the next head reuses the buffer:
 * one block of memory, warm in the cache, and no trip through the allocator. While it is still held (a write
 * waiting for a slow client), or for more bytes than it was made for, a new buffer is allocated as before.
 */
final class LoopBuffer {

  /** The size of each loop's buffer, and the most bytes a caller can ask it for. */
  static final int CAPACITY = 4096;
  /** Beyond this a buffer that grew (a head larger than asked for) is not kept. */
  private static final int MAX_KEPT = 4 * CAPACITY;

  private static final FastThreadLocal<ByteBuf[]> HELD = new FastThreadLocal<>() {
    @Override
    protected ByteBuf[] initialValue() {
      return new ByteBuf[1];
    }

    @Override
    protected void onRemoval(ByteBuf[] held) {
      if (held[0] != null) {
        held[0].release();
        held[0] = null;
      }
    }
  };

  private LoopBuffer() {
  }

  /** An empty direct buffer with room for at least {@code bytes}, of which the caller holds one reference. */
  static ByteBuf take(ByteBufAllocator alloc, int bytes) {
    if (bytes > CAPACITY) {
      return alloc.directBuffer(bytes);
    }
    ByteBuf[] held = HELD.get();
    ByteBuf buf = held[0];
    if (buf != null && buf.refCnt() == 1) {
      if (buf.capacity() <= MAX_KEPT) {
        return buf.clear().retain();
      }
      buf.release();
      buf = null;
    }
    if (buf == null) {
      // Made apart from the allocator's pools: a buffer held for good would pin one of their chunks.
      buf = UnpooledByteBufAllocator.DEFAULT.directBuffer(CAPACITY);
      held[0] = buf;
      return buf.retain();
    }
    return alloc.directBuffer(bytes);
  }
}
