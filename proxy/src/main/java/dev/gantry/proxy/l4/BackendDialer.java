package dev.gantry.proxy.l4;

import dev.gantry.proxy.config.BackendRuntime;
import dev.gantry.proxy.config.EndpointRuntime;
import dev.gantry.proxy.l4.RelayConnection.State;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import java.net.InetSocketAddress;

/**
 * Connects a routed relay to its backend: picks an endpoint with a free slot, dials it on the client's
 * event loop, retries a failed connect on a freshly picked endpoint, and once connected sends the PROXY
 * protocol header and what the client already sent, then starts relaying.
 */
final class BackendDialer {

  /** Retries of a failed connect, each on a freshly picked endpoint. */
  static final int CONNECT_RETRIES = 2;

  private final RelayConnection conn;

  BackendDialer(RelayConnection conn) {
    this.conn = conn;
  }

  void connect() {
    conn.endpoint = null;
    RelayTarget target = conn.target;
    // Balancers pass over full endpoints; another connection may still take the last slot first.
    for (int i = 0; i < 3 && conn.endpoint == null; i++) {
      EndpointRuntime e = target.backend().pick(conn.clientAddress);
      if (e == null) {
        break;
      }
      if (e.state().tryOpen()) {
        conn.endpoint = e;
      }
    }
    if (conn.endpoint == null) {
      conn.end("SC");
      return;
    }
    conn.attempts++;
    conn.endpointInUse = true;
    RelayOptions options = conn.options;
    Bootstrap b = new Bootstrap()
        .group(conn.ctx.channel().eventLoop())
        .channel(options.channelClass())
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.RCVBUF_ALLOCATOR, RelayOptions.READS)
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, options.waterMark())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, target.backend().connectTimeoutMillis()))
        .handler(new RelayBackendHandler(conn));
    ChannelFuture f = b.connect(conn.endpoint.address());
    conn.dialling = f.channel();
    f.addListener(done -> connected(f));
  }

  private void connected(ChannelFuture f) {
    Channel ch = f.channel();
    if (ch != conn.dialling) {
      // Abandoned when the client went away; the endpoint was released then.
      ch.close();
      return;
    }
    conn.dialling = null;
    RelayTarget target = conn.target;
    if (!f.isSuccess()) {
      conn.endpoint.connectFailures().increment();
      target.backend().failed(conn.endpoint);
      conn.releaseEndpoint();
      if (conn.state != State.CONNECTING) {
        return;
      }
      if (conn.attempts <= CONNECT_RETRIES) {
        target.backend().retried(BackendRuntime.RetryReason.CONNECT);
        connect();
      } else {
        conn.end(f.cause() instanceof ConnectTimeoutException ? "sC" : "SC");
      }
      return;
    }
    target.backend().succeeded(conn.endpoint);
    Channel backend = ch;
    conn.backend = backend;
    conn.state = State.RELAYING;
    conn.connectedNanos = System.nanoTime();
    conn.lastActivityNanos = conn.connectedNanos;
    conn.counted = true;
    target.stats().connections().increment();
    target.stats().activeConnections().increment();
    ChannelHandlerContext ctx = conn.ctx;
    switch (target.proxyProtocol()) {
      case V1 -> backend.write(ProxyProtocolHeader.v1(backend.alloc(),
          (InetSocketAddress) ctx.channel().remoteAddress(), (InetSocketAddress) ctx.channel().localAddress()));
      case V2 -> backend.write(ProxyProtocolHeader.v2(backend.alloc(),
          (InetSocketAddress) ctx.channel().remoteAddress(), (InetSocketAddress) ctx.channel().localAddress(),
          conn.serverName.isEmpty() ? null : conn.serverName));
      default -> {
      }
    }
    ByteBuf buf;
    while ((buf = conn.pending.poll()) != null) {
      conn.toBackend(buf);
    }
    backend.flush();
    if (conn.clientInputShut) {
      RelayConnection.shutdownOutputAfterWrites(backend);
    } else {
      ctx.read();
    }
    backend.read();
    conn.timeouts.arm(conn.lastActivityNanos + conn.listener.timeouts().tunnelNanos());
  }
}
