package dev.gantry.proxy.upstream;

import dev.gantry.proxy.http1.BackendCodec;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * One connection to a backend endpoint, the last handler of its pipeline. While an exchange uses it, every
 * event goes to that exchange's {@link UpstreamListener}; while it idles in the pool, anything the server
 * sends (which it should not) closes it.
 */
public final class UpstreamConnection extends ChannelInboundHandlerAdapter {

  private Channel channel;
  private EndpointPool pool;
  private UpstreamListener listener;
  private long idleSinceNanos;
  private boolean refused;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  void bind(EndpointPool pool) {
    this.pool = pool;
  }

  /** The backend never processed the request sent on this HTTP/2 stream (refused, or left out by GOAWAY). */
  void markRefused() {
    refused = true;
  }

  /**
   * Whether the request sent here is known to have been left unprocessed by the backend, so that sending it
   * again is safe for any method (an HTTP/2 stream the backend refused). Always false for HTTP/1.1.
   */
  public boolean refused() {
    return refused;
  }

  void attach(UpstreamListener l) {
    this.listener = l;
  }

  /** Gives the connection back to its pool for the next request, or closes it if it cannot be reused. */
  public void release() {
    listener = null;
    if (channel.isActive() && pool != null) {
      pool.offer(this);
    } else {
      channel.close();
    }
  }

  /** Stops reporting to the current listener and closes the connection. */
  public void close() {
    listener = null;
    channel.close();
  }

  /** Stops reporting to the current listener, leaving the connection open (a tunnel takes it over). */
  public void detach() {
    listener = null;
  }

  /** Turns the connection into a byte pipe: the HTTP codec is removed, later reads are raw bytes. */
  public void switchToTunnel(UpstreamListener tunnel) {
    listener = tunnel;
    pool = null;
    channel.pipeline().remove(BackendCodec.class);
  }

  public void write(Object msg) {
    channel.write(msg, channel.voidPromise());
  }

  public void flush() {
    channel.flush();
  }

  public void read() {
    channel.read();
  }

  public boolean isWritable() {
    return channel.isWritable();
  }

  public boolean isActive() {
    return channel.isActive();
  }

  public Channel channel() {
    return channel;
  }

  long idleSinceNanos() {
    return idleSinceNanos;
  }

  void markIdle(long now) {
    idleSinceNanos = now;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    UpstreamListener l = listener;
    if (l != null) {
      l.upstreamRead(msg);
    } else {
      ReferenceCountUtil.release(msg);
      ctx.close();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    UpstreamListener l = listener;
    if (l != null) {
      l.upstreamReadComplete();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    UpstreamListener l = listener;
    if (l != null) {
      l.upstreamWritabilityChanged();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (pool != null) {
      pool.remove(this);
    }
    UpstreamListener l = listener;
    listener = null;
    if (l != null) {
      l.upstreamClosed();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A reset or a protocol error: the exchange learns of it through channelInactive.
    ctx.close();
  }
}
