package dev.gantry.proxy.l7;

import dev.gantry.proxy.config.ListenerRemoved;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Ends an HTTP/2 connection the way an idle HTTP/1.1 keep-alive connection ends: after the client timeout
 * with no stream open, or when a reload removed its listener. Closing sends GOAWAY and lets open streams
 * finish first.
 */
final class Http2ConnectionGuard extends ChannelInboundHandlerAdapter {

  private final Http2FrameCodec codec;

  Http2ConnectionGuard(Http2FrameCodec codec) {
    this.codec = codec;
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
    // Connection errors were answered with GOAWAY by the codec; what is left is a reset socket.
    ctx.close();
  }
}
