package dev.gantry.proxy.l7;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;

/**
 * First on an HTTP connection: looks at the first bytes the client sends. When they are the HTTP/2 connection
 * preface ({@code PRI * HTTP/2.0...}, h2c with prior knowledge), the HTTP/1.1 handlers behind it give way to the
 * HTTP/2 ones; as soon as they differ from it, it steps aside and HTTP/1.1 (with all its strictness) reads them.
 * Until the first bytes came, the HTTP/1.1 exchange handler's request-head timeout bounds the wait.
 */
final class H2cPreface extends ChannelInboundHandlerAdapter {

  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();
  private static final int PREFACE_LENGTH = PREFACE.readableBytes();

  /** Installs HTTP/2 in place of HTTP/1.1 behind the given context (this handler's). */
  interface Switch {
    void toHttp2(ChannelHandlerContext at);
  }

  private final Switch http2;
  /** The first bytes, while they are a proper beginning of the preface. */
  private ByteBuf held;

  H2cPreface(Switch http2) {
    this.http2 = http2;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    ByteBuf seen = held == null ? in : held.writeBytes(in);
    if (seen != in) {
      in.release();
    }
    int compared = Math.min(seen.readableBytes(), PREFACE_LENGTH);
    if (!ByteBufUtil.equals(seen, seen.readerIndex(), PREFACE, 0, compared)) {
      // HTTP/1.1 (or garbage the HTTP/1.1 codec answers).
      held = null;
      ctx.pipeline().remove(this);
      ctx.fireChannelRead(seen);
      return;
    }
    if (compared < PREFACE_LENGTH) {
      if (held == null) {
        held = ctx.alloc().buffer(PREFACE_LENGTH).writeBytes(in);
        in.release();
      }
      // The exchange handler asks for the next read once this one is complete.
      return;
    }
    held = null;
    http2.toHttp2(ctx);
    ctx.pipeline().remove(this);
    ctx.fireChannelRead(seen);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (held != null) {
      held.release();
      held = null;
    }
  }
}
