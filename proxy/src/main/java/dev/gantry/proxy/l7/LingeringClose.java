package dev.gantry.proxy.l7;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection that may still be sending (requests the proxy will not answer) without
 * destroying the answers already sent: closing a socket with unread input makes the kernel send a reset,
 * and a reset can make the client drop responses it has not read yet. So the proxy ends its side after the
 * last answer, reads and discards what comes until the client closes, and closes after
 * {@link #LINGER_MILLIS} at most (nginx's {@code lingering_close}).
 */
final class LingeringClose extends ChannelInboundHandlerAdapter {

  /** Longest time input is read and discarded after the last answer. */
  static final long LINGER_MILLIS = 2_000;

  private LingeringClose() {
  }

  /**
   * Once {@code lastWrite} is done, the connection closes: at once, or when {@code linger} (the client may
   * still be sending) after its output side ended and its input was discarded for a while.
   */
  static void after(ChannelFuture lastWrite, boolean linger) {
    lastWrite.addListener(f -> {
      Channel ch = lastWrite.channel();
      if (!linger || !f.isSuccess() || !(ch instanceof DuplexChannel duplex) || !ch.isActive()) {
        ch.close();
        return;
      }
      ch.pipeline().addFirst("lingering-close", new LingeringClose());
      duplex.shutdownOutput();
      ch.eventLoop().schedule(() -> ch.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
      ch.read();
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.read();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
