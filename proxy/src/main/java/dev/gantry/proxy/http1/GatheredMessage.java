package dev.gantry.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.concurrent.PromiseNotifier;
import java.nio.channels.ClosedChannelException;

/**
 * A small HTTP/1.1 message gathered into one buffer (the event loop's own, {@link LoopBuffer}, when it is free):
 * its head as it is to leave, then the pieces of its body. The message leaves in one write (one system call, one
 * TLS record) instead of one buffer per piece. It is written when its last piece is in, or sooner when the
 * connection is flushed or anything else is written after it. {@link ServerCodec} gathers the responses relayed
 * as they arrived, {@link BackendCodec} the requests whose head it writes.
 */
final class GatheredMessage {

  /** The largest message gathered, head and body: beyond it, copying costs more than the writes it saves. */
  static final int MAX_BYTES = LoopBuffer.CAPACITY;

  private ByteBuf bytes;
  /** What to complete once the gathered bytes are written: the last non-void promise of its parts. */
  private ChannelPromise promise;

  /** Whether a head and a body of these lengths are small enough to be gathered. */
  static boolean fits(int headLength, long bodyLength) {
    return bodyLength <= MAX_BYTES - headLength;
  }

  /** Whether a message is being gathered. */
  boolean active() {
    return bytes != null;
  }

  /** Starts gathering a message with the buffer that holds its head, which the body's pieces are added to. */
  void start(ByteBuf head, ChannelPromise headPromise) {
    bytes = head;
    promise = headPromise;
  }

  /** Adds a piece of the body and releases it; the last piece sends the whole message on. */
  void add(ChannelHandlerContext ctx, HttpContent piece, ChannelPromise piecePromise, boolean last) {
    try {
      bytes.writeBytes(piece.content());
    } finally {
      piece.release();
    }
    if (!piecePromise.isVoid()) {
      if (!promise.isVoid()) {
        PromiseNotifier.cascade(piecePromise, promise);
      }
      promise = piecePromise;
    }
    if (last) {
      writeOut(ctx);
    }
  }

  /** Writes what was gathered so far, if anything: the rest of the body follows as it comes. */
  void writeOut(ChannelHandlerContext ctx) {
    if (bytes != null) {
      ByteBuf gathered = bytes;
      ChannelPromise done = promise;
      bytes = null;
      promise = null;
      ctx.write(gathered, done);
    }
  }

  /** Flushes the connection, with what was gathered so far written first: the encoders' {@code flush}. */
  void flush(ChannelHandlerContext ctx) {
    writeOut(ctx);
    ctx.flush();
  }

  /** Drops what was gathered and not written, when the connection's pipeline goes. */
  void release() {
    if (bytes != null) {
      bytes.release();
      bytes = null;
      if (!promise.isVoid()) {
        // A void promise would report the failure down the pipeline being taken apart.
        promise.tryFailure(new ClosedChannelException());
      }
      promise = null;
    }
  }
}
