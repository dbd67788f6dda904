package dev.gantry.proxy.l7;

import dev.gantry.proxy.config.ListenerRemoved;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Ends an HTTP/2 connection the way an idle HTTP/1.1 keep-alive connection ends: after the client timeout
 * with no stream open, or when a reload removed its listener. Closing sends GOAWAY and lets open streams
 * finish first. Errors pass through it to where they belong: a stream error to its stream, a connection error
 * to the codec's GOAWAY.
 */
final class Http2ConnectionGuard extends ChannelInboundHandlerAdapter {

  private final Http2FrameCodec codec;
  /** A connection error was found: the connection is closing, and streams not yet started never start. */
  private boolean failed;

  Http2ConnectionGuard(Http2FrameCodec codec) {
    this.codec = codec;
  }

  /** Whether the connection is closing on a connection error (its streams are cut off, not finished). */
  boolean failed() {
    return failed;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ListenerRemoved.INSTANCE) {
      ctx.close();
      return;
    }
    if (evt instanceof IdleStateEvent) {
      if (codec.connection().numActiveStreams() == 0) {
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Http2Exception http2 = Http2CodecUtil.getEmbeddedHttp2Exception(cause);
    if (cause instanceof Http2FrameStreamException) {
      // A stream error: the stream handlers reset that stream only.
      ctx.fireExceptionCaught(cause);
    } else if (http2 != null) {
      // A connection error: the codec answers it with a GOAWAY carrying its error code, then closes.
      failed |= http2.shutdownHint() == Http2Exception.ShutdownHint.HARD_SHUTDOWN;
    } else {
      // A reset socket or a failed TLS record.
      ctx.close();
    }
  }
}
