package dev.gantry.proxy.l4;

import dev.gantry.proxy.l4.RelayConnection.State;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The only handler of a relay's backend connection: relays the backend's bytes, backpressure and half-close
 * to the client connection of the relay that dialled it. Events of a channel that is not (or no longer) the
 * relay's backend, such as a stale dial's, are ignored.
 */
final class RelayBackendHandler extends ChannelInboundHandlerAdapter {

  private final RelayConnection conn;

  RelayBackendHandler(RelayConnection conn) {
    this.conn = conn;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf) {
      backendRead(ctx.channel(), buf);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void backendRead(Channel ch, ByteBuf buf) {
    if (ch != conn.backend || conn.state != State.RELAYING) {
      buf.release();
      return;
    }
    conn.lastActivityNanos = System.nanoTime();
    int n = buf.readableBytes();
    conn.bytesOut += n;
    conn.listener.stats().bytesSent().add(n);
    conn.target.stats().bytesSent().add(n);
    conn.ctx.write(buf, conn.ctx.voidPromise());
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    Channel ch = ctx.channel();
    if (ch != conn.backend || conn.state != State.RELAYING) {
      return;
    }
    conn.ctx.flush();
    if (conn.ctx.channel().isWritable() && !conn.backendInputShut) {
      conn.backend.read();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Channel ch = ctx.channel();
    if (ch == conn.backend && conn.state == State.RELAYING && ch.isWritable() && !conn.clientInputShut) {
      conn.ctx.read();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ChannelInputShutdownEvent.INSTANCE) {
      backendInputShutdown(ctx.channel());
    }
  }

  private void backendInputShutdown(Channel ch) {
    if (ch != conn.backend || conn.state != State.RELAYING) {
      return;
    }
    conn.backendInputShut = true;
    RelayConnection.shutdownOutputAfterWrites(conn.ctx.channel());
    conn.endIfBothDone();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (ctx.channel() == conn.backend && conn.state == State.RELAYING) {
      conn.end("--");
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (ctx.channel() == conn.backend) {
      conn.end("SD");
    }
    ctx.close();
  }
}
