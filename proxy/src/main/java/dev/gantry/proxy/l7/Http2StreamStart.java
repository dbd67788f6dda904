package dev.gantry.proxy.l7;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The only handler a new HTTP/2 stream starts with. It resets a stream whose request head is malformed
 * ({@link Http2RequestCheck}), and holds the frames of the stream's first read until the
 * connection has handled everything that arrived with them (a stream that reads by itself completes its read
 * together with the connection's), and only then builds the stream's exchange handlers and hands the frames
 * over. A stream the client resets in the same burst (the rapid reset attack)
 * so costs its channel and this handler: no routing, no backend connection, no timer.
 */
final class Http2StreamStart extends ChannelInboundHandlerAdapter {

  private final Consumer<ChannelHandlerContext> addHandlersAfter;
  private final BooleanSupplier connectionFailed;
  private final List<Object> held = new ArrayList<>(2);
  private boolean refused;

  /**
   * {@code addHandlersAfter} adds the stream's exchange handlers behind the given context; none are added once
   * {@code connectionFailed} says the connection is closing on an error (the stream is about to be cut off).
   */
  Http2StreamStart(Consumer<ChannelHandlerContext> addHandlersAfter, BooleanSupplier connectionFailed) {
    this.addHandlersAfter = addHandlersAfter;
    this.connectionFailed = connectionFailed;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    // Not passed on: the exchange handlers see the stream become active once they exist. Until then the stream
    // reads by itself (auto-read), which is what lets its read complete only with the connection's.
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (held.isEmpty() && msg instanceof Http2HeadersFrame head && Http2RequestCheck.problem(head.headers()) != null) {
      // Malformed (RFC 9113 §8.1.1): the stream is reset, which also closes it; nothing is translated.
      refused = true;
      ReferenceCountUtil.release(msg);
      ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR));
      return;
    }
    held.add(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (held.isEmpty() || refused) {
      return;
    }
    if (connectionFailed.getAsBoolean()) {
      refused = true;
      held.forEach(ReferenceCountUtil::release);
      held.clear();
      return;
    }
    // From here on the exchange handler asks for each read itself.
    ctx.channel().config().setAutoRead(false);
    addHandlersAfter.accept(ctx);
    ctx.fireChannelActive();
    for (Object msg : held) {
      ctx.fireChannelRead(msg);
    }
    held.clear();
    ctx.fireChannelReadComplete();
    ctx.pipeline().remove(this);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    for (Object msg : held) {
      ReferenceCountUtil.release(msg);
    }
    held.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    // A reset or priority frame before the exchange began: the stream closes by itself.
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof Http2Exception)) {
      ctx.close();
    }
    // A stream error: the stream is reset with its error code right after this.
  }
}
