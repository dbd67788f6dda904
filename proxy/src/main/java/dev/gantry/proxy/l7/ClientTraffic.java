package dev.gantry.proxy.l7;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import dev.gantry.proxy.admin.ListenerStats;

/**
 * Sits next to the socket (for HTTPS, next to TLS), below the HTTP codec: counts bytes each way and tells
 * the exchange when the client last sent anything, which the request-head and client timeouts are measured
 * from. On an HTTP/2 stream it sits below the frame codec, sees frames only, and just keeps the time.
 */
final class ClientTraffic extends ChannelDuplexHandler {

  private final ListenerStats stats;
  long lastReadNanos = System.nanoTime();
  /** When the first byte of a request head arrived while waiting for one; 0 when not waiting or none yet. */
  long headStartNanos;
  boolean awaitingHead = true;
  long bytesIn;
  long bytesOut;

  ClientTraffic(ListenerStats stats) {
    this.stats = stats;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf) {
      int n = buf.readableBytes();
      bytesIn += n;
      stats.bytesReceived().add(n);
      long now = System.nanoTime();
      lastReadNanos = now;
      if (awaitingHead && headStartNanos == 0 && n > 0) {
        headStartNanos = now;
      }
    } else {
      // An HTTP/2 stream: frames arrive, not bytes (counted on the connection); they still show activity.
      lastReadNanos = System.nanoTime();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    long n = msg instanceof ByteBuf buf ? buf.readableBytes()
        : msg instanceof FileRegion region ? region.count() : 0;
    if (n > 0) {
      bytesOut += n;
      stats.bytesSent().add(n);
    }
    ctx.write(msg, promise);
  }

  /** The next bytes start a new request head. */
  void expectHead() {
    awaitingHead = true;
    headStartNanos = 0;
  }

  /** A complete head arrived. */
  void headReceived() {
    awaitingHead = false;
    headStartNanos = 0;
  }
}
