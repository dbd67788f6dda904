package dev.gantry.proxy.l7;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;

/**
 * Bytes of an upgraded connection. Around the switch a codec may still hand over what it had buffered as
 * HTTP content; either way the bytes go on unchanged, and anything else is dropped.
 */
final class TunnelBytes {

  private TunnelBytes() {
  }

  /** Passes the bytes of {@code msg} to {@code out} (which then owns them), or releases {@code msg}. */
  static void forward(Object msg, Consumer<ByteBuf> out) {
    if (msg instanceof ByteBuf || msg instanceof HttpContent) {
      ByteBuf bytes = msg instanceof HttpContent c ? c.content() : (ByteBuf) msg;
      if (bytes.isReadable()) {
        out.accept(bytes);
      } else {
        bytes.release();
      }
    } else {
      ReferenceCountUtil.release(msg);
    }
  }
}
