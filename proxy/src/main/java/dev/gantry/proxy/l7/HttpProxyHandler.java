package dev.gantry.proxy.l7;

import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.config.ActiveConfig;
import dev.gantry.proxy.config.ListenerRemoved;
import dev.gantry.proxy.config.ListenerRuntime;
import dev.gantry.proxy.l7.ProxiedConnection.State;
import dev.gantry.proxy.upstream.UpstreamPools;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * Proxies the HTTP/1.1 exchanges of one client connection, one at a time and in order (so pipelined
 * requests are answered in order). Bodies stream both ways with backpressure: the client is read only while
 * the backend accepts what is written, and the backend only while the client does. Client and backend
 * connection share one event loop, so nothing here needs a lock.
 *
 * <p>This class takes the client connection's events and passes them to the parts of a {@link
 * ProxiedConnection}: {@link RequestIntake} (request heads and bodies), {@link EndpointDispatch} (endpoint,
 * queue, retries), {@link UpstreamSide} (the backend's events), {@link LocalAnswers} (what the proxy answers
 * itself), {@link UpgradeTunnel} and {@link ExchangeTimeouts}.
 */
public final class HttpProxyHandler extends ChannelInboundHandlerAdapter {

  private final ProxiedConnection conn;

  public HttpProxyHandler(ActiveConfig config, int port, UpstreamPools pools, AccessLog accessLog,
      ClientTraffic traffic) {
    this.conn = new ProxiedConnection(config, port, pools, accessLog, traffic);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    conn.ctx = ctx;
    conn.timeouts.bind(ctx.executor());
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    // HTTP/2 took the connection over (h2c) before any request: no deadline of this handler applies any more.
    conn.timeouts.cancel();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    conn.clientAddress = remote.getAddress();
    conn.clientIp = conn.clientAddress.getHostAddress();
    conn.clientIdentity = ClientIdentity.of(ctx.channel());
    String ip = conn.clientIp;
    conn.clientLabel = ip.indexOf(':') >= 0 ? "[" + ip + "]:" + remote.getPort() : ip + ":" + remote.getPort();
    ListenerRuntime l = conn.config.current().listener(conn.port);
    if (l == null) {
      ctx.close();
      return;
    }
    conn.timeouts.idleTimerFor(l, System.nanoTime());
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    conn.inClientRead = true;
    InboundQueue inbound = conn.inbound;
    if (inbound.refuses(msg)) {
      return;
    }
    switch (conn.state) {
      case IDLE -> {
        if (inbound.isEmpty()) {
          conn.intake.takeIdle(msg);
        } else {
          inbound.add(msg);
          conn.intake.drainIdle();
        }
      }
      case FORWARDING -> {
        if (!conn.ex.requestDone && inbound.isEmpty()) {
          conn.intake.forwardRequestPart(msg);
        } else {
          inbound.add(msg);
        }
      }
      case TUNNEL -> conn.tunnel.fromClient(msg);
      case QUEUED, CONNECTING -> inbound.add(msg);
      default -> ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    conn.inClientRead = false;
    State state = conn.state;
    if (state == State.FORWARDING || state == State.TUNNEL) {
      conn.upstream.flush();
      if (state == State.TUNNEL || !conn.ex.requestDone) {
        if (conn.upstream.isWritable()) {
          ctx.read();
        }
      }
    } else if (state == State.IDLE && conn.inbound.isEmpty()) {
      ctx.read();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable() && conn.upstream != null
        && (conn.state == State.FORWARDING || conn.state == State.TUNNEL)) {
      conn.traffic.lastReadNanos = System.nanoTime();
      conn.upstream.read();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    State was = conn.state;
    conn.state = State.CLOSED;
    conn.timeouts.cancel();
    conn.dispatch.leaveQueue();
    if (was == State.QUEUED || was == State.CONNECTING || was == State.FORWARDING) {
      conn.finish(conn.ex.responseStarted ? "CD" : "CR");
    }
    conn.closeUpstream();
    conn.dispatch.abandonDialling();
    conn.dispatch.releaseSlot();
    conn.replay.reset();
    conn.inbound.releaseAll();
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ListenerRemoved.INSTANCE) {
      // Idle keep-alive connections go now; a running exchange finishes, then the connection closes.
      if (conn.state == State.IDLE && conn.inbound.isEmpty()) {
        conn.state = State.CLOSED;
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets and I/O errors on the client side: nothing to answer, the connection is gone.
    ctx.close();
  }
}
