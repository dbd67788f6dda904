package dev.gantry.proxy.l4;

import dev.gantry.model.Protocol;
import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.admin.ConnectionRecord;
import dev.gantry.proxy.config.ListenerRuntime;
import dev.gantry.proxy.l4.RelayConnection.State;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Relays one TCP or TLS-passthrough client connection to a backend endpoint, bytes untouched. Both sides
 * are read only while the other side takes what is written (auto-read is off; a side is read again when
 * its peer's write buffer drains), so memory per connection stays bounded however fast either side is.
 * A half-close is passed on in each direction; the connection ends when both directions have.
 *
 * <p>The backend connection is dialled on the client's event loop, so both are handled by one thread and
 * nothing here needs a lock. This class takes the client connection's events; {@link BackendDialer}
 * connects, {@link RelayBackendHandler} takes the backend's events, {@link RelayTimeouts} keeps the timer,
 * all sharing one {@link RelayConnection}.
 */
public final class TcpProxyHandler extends ChannelInboundHandlerAdapter {

  private final RelayConnection conn;
  private boolean finished;

  public TcpProxyHandler(ListenerRuntime listener, RelayOptions options, AccessLog accessLog) {
    this.conn = new RelayConnection(listener, options, accessLog);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    conn.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    conn.startNanos = System.nanoTime();
    conn.lastActivityNanos = conn.startNanos;
    conn.startMillis = System.currentTimeMillis();
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    conn.clientAddress = remote.getAddress();
    String ip = conn.clientAddress.getHostAddress();
    conn.clientLabel = ip.indexOf(':') >= 0 ? "[" + ip + "]:" + remote.getPort() : ip + ":" + remote.getPort();
    ListenerRuntime listener = conn.listener;
    if (listener.protocol() == Protocol.TLS) {
      // The ClientHello must arrive within the client timeout; the peek handler before this one reads it.
      conn.timeouts.arm(conn.startNanos + listener.timeouts().clientNanos());
      ctx.read();
    } else {
      route(listener.passthrough().choose(null), null);
    }
    ctx.fireChannelActive();
  }

  /**
   * The backend is chosen: for TLS listeners by the ClientHello's server name ({@code serverName}, null when
   * it has none). A choice without a target closes the connection.
   */
  void route(PassthroughRoutes.Choice choice, String serverName) {
    if (conn.state != State.ROUTING) {
      return;
    }
    conn.serverName = serverName == null ? "" : serverName;
    conn.route = choice.route();
    conn.target = choice.target();
    if (conn.target == null) {
      conn.end("PR");
      return;
    }
    conn.state = State.CONNECTING;
    conn.dialer.connect();
  }

  /** The ClientHello was unusable (not TLS, malformed, oversized): close without relaying anything. */
  void reject() {
    conn.end("PR");
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    conn.lastActivityNanos = System.nanoTime();
    switch (conn.state) {
      case RELAYING -> conn.toBackend(buf);
      case ROUTING, CONNECTING -> conn.pending.add(buf);
      default -> buf.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (conn.state == State.RELAYING) {
      conn.backend.flush();
      if (conn.backend.isWritable() && !conn.clientInputShut) {
        ctx.read();
      }
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (conn.state == State.RELAYING && ctx.channel().isWritable() && !conn.backendInputShut) {
      conn.backend.read();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ChannelInputShutdownEvent.INSTANCE) {
      conn.clientInputShut = true;
      switch (conn.state) {
        case ROUTING -> conn.end("CR");
        case RELAYING -> {
          RelayConnection.shutdownOutputAfterWrites(conn.backend);
          conn.endIfBothDone();
        }
        // CONNECTING: the backend's output is shut once it is connected and has what the client sent.
        default -> {
        }
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Before routing, a decoder error is a ClientHello the peek handler refused; anything else is a reset.
    conn.end(switch (conn.state) {
      case ROUTING -> cause instanceof DecoderException ? "PR" : "CR";
      case CONNECTING -> "CC";
      default -> "CD";
    });
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (conn.termination == null && conn.state != State.CLOSED) {
      conn.termination = conn.state == State.ROUTING ? "CR" : conn.state == State.CONNECTING ? "CC" : "--";
    }
    finish();
    ctx.fireChannelInactive();
  }

  /** Metrics, the endpoint's use count and the access-log line; once, when the client connection closed. */
  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    conn.state = State.CLOSED;
    conn.timeouts.cancel();
    if (conn.dialling != null) {
      Channel d = conn.dialling;
      conn.dialling = null;
      d.close();
    }
    if (conn.backend != null) {
      conn.backend.close();
    }
    ByteBuf buf;
    while ((buf = conn.pending.poll()) != null) {
      buf.release();
    }
    conn.releaseEndpoint();
    if (conn.counted) {
      conn.target.stats().activeConnections().decrement();
    }
    AccessLog accessLog = conn.accessLog;
    if (accessLog.enabled()) {
      long now = System.nanoTime();
      ListenerRuntime listener = conn.listener;
      accessLog.log(new ConnectionRecord(conn.clientLabel, conn.startMillis, listener.lbId(), listener.name(),
          listener.protocol().name(), conn.serverName, conn.route,
          conn.target == null ? "" : conn.target.backend().name(), conn.endpoint == null ? "" : conn.endpoint.label(),
          conn.connectedNanos == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(conn.connectedNanos - conn.startNanos),
          TimeUnit.NANOSECONDS.toMillis(now - conn.startNanos), conn.bytesIn, conn.bytesOut,
          conn.termination == null ? "--" : conn.termination, Math.max(0, conn.attempts - 1)));
    }
  }
}
