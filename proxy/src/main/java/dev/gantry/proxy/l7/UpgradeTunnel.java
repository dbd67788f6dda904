package dev.gantry.proxy.l7;

import dev.gantry.proxy.http1.ServerCodec;
import dev.gantry.proxy.l7.ProxiedConnection.State;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import java.util.function.Consumer;

/**
 * A WebSocket or other upgraded connection: once the backend switched protocols, both HTTP codecs leave and
 * raw bytes go both ways until either side closes or the tunnel timeout passes.
 */
final class UpgradeTunnel {

  private final ProxiedConnection conn;
  private final Exchange ex;
  /** Where each side's bytes go, made once per connection rather than per read. */
  private final Consumer<ByteBuf> toUpstream;
  private final Consumer<ByteBuf> toClient;

  UpgradeTunnel(ProxiedConnection conn) {
    this.conn = conn;
    this.ex = conn.ex;
    this.toUpstream = bytes -> conn.upstream.write(bytes);
    this.toClient = bytes -> conn.ctx.write(bytes, conn.ctx.voidPromise());
  }

  /** The backend answered 101 to an upgrade the client asked for: the exchange becomes a tunnel. */
  void start(HttpResponse switching) {
    ChannelHandlerContext ctx = conn.ctx;
    ex.status = 101;
    ex.responseStarted = true;
    ex.responseNanos = System.nanoTime();
    conn.state = State.TUNNEL;
    ForwardingHeaders.stripHopByHop(switching.headers(), true);
    switching.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    ctx.writeAndFlush(switching);
    // Bytes after the 101 are the new protocol's: both codecs leave; what they buffered is passed on.
    conn.upstream.switchToTunnel(conn.upstreamSide);
    ctx.pipeline().remove(ServerCodec.class);
    conn.inbound.releaseAll();
    conn.finish("--");
    conn.timeouts.armAtMost(System.nanoTime() + ex.listener.timeouts().tunnelNanos());
    ctx.read();
    conn.upstream.read();
  }

  void fromClient(Object msg) {
    TunnelBytes.forward(msg, toUpstream);
  }

  void fromUpstream(Object msg) {
    TunnelBytes.forward(msg, toClient);
  }

  /** The backend closed the tunnel: what was written to the client is flushed, then it closes too. */
  void upstreamClosed() {
    conn.ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    conn.state = State.CLOSED;
  }
}
