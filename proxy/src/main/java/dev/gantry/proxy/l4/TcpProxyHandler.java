package dev.gantry.proxy.l4;

import dev.gantry.proxy.config.BackendRuntime;

import dev.gantry.model.Protocol;
import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.admin.ConnectionRecord;
import dev.gantry.proxy.config.BackendRuntime;
import dev.gantry.proxy.config.EndpointRuntime;
import dev.gantry.proxy.config.ListenerRuntime;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Relays one TCP or TLS-passthrough client connection to a backend endpoint, bytes untouched. Both sides
 * are read only while the other side takes what is written (auto-read is off; a side is read again when
 * its peer's write buffer drains), so memory per connection stays bounded however fast either side is.
 * A half-close is passed on in each direction; the connection ends when both directions have.
 *
 * <p>The backend connection is dialled on the client's event loop, so both are handled by one thread and
 * nothing here needs a lock.
 */
public final class TcpProxyHandler extends ChannelInboundHandlerAdapter {

  /** Retries of a failed connect, each on a freshly picked endpoint. */
  static final int CONNECT_RETRIES = 2;

  private enum State {
    /** TLS listeners: waiting for the ClientHello that chooses the backend. */
    ROUTING,
    CONNECTING,
    RELAYING,
    CLOSED
  }

  private final ListenerRuntime listener;
  private final RelayOptions options;
  private final AccessLog accessLog;
  private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>(2);
  private final Runnable timerTask = this::onTimer;

  private ChannelHandlerContext ctx;
  private State state = State.ROUTING;
  private InetAddress clientAddress;
  private String clientLabel;
  private String serverName = "";
  private String route = "";
  private RelayTarget target;
  private EndpointRuntime endpoint;
  /** {@code opened()} was reported for {@link #endpoint} and {@code closed()} not yet. */
  private boolean endpointInUse;
  private boolean counted;
  private Channel dialling;
  private Channel backend;
  private boolean clientInputShut;
  private boolean backendInputShut;
  private int attempts;
  private String termination;
  private boolean finished;
  private long startNanos;
  private long startMillis;
  private long connectedNanos;
  private long lastActivityNanos;
  private long bytesIn;
  private long bytesOut;
  private ScheduledFuture<?> timer;

  public TcpProxyHandler(ListenerRuntime listener, RelayOptions options, AccessLog accessLog) {
    this.listener = listener;
    this.options = options;
    this.accessLog = accessLog;
  }

  // ---------------------------------------------------------------- client side

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    startNanos = System.nanoTime();
    lastActivityNanos = startNanos;
    startMillis = System.currentTimeMillis();
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    clientAddress = remote.getAddress();
    String ip = clientAddress.getHostAddress();
    clientLabel = ip.indexOf(':') >= 0 ? "[" + ip + "]:" + remote.getPort() : ip + ":" + remote.getPort();
    if (listener.protocol() == Protocol.TLS) {
      // The ClientHello must arrive within the client timeout; the peek handler before this one reads it.
      arm(startNanos + listener.timeouts().clientNanos());
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
    if (state != State.ROUTING) {
      return;
    }
    this.serverName = serverName == null ? "" : serverName;
    this.route = choice.route();
    this.target = choice.target();
    if (target == null) {
      end("PR");
      return;
    }
    state = State.CONNECTING;
    connect();
  }

  /** The ClientHello was unusable (not TLS, malformed, oversized): close without relaying anything. */
  void reject() {
    end("PR");
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    lastActivityNanos = System.nanoTime();
    switch (state) {
      case RELAYING -> toBackend(buf);
      case ROUTING, CONNECTING -> pending.add(buf);
      default -> buf.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (state == State.RELAYING) {
      backend.flush();
      if (backend.isWritable() && !clientInputShut) {
        ctx.read();
      }
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (state == State.RELAYING && ctx.channel().isWritable() && !backendInputShut) {
      backend.read();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ChannelInputShutdownEvent.INSTANCE) {
      clientInputShut = true;
      switch (state) {
        case ROUTING -> end("CR");
        case RELAYING -> {
          shutdownOutputAfterWrites(backend);
          endIfBothDone();
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
    end(switch (state) {
      case ROUTING -> cause instanceof DecoderException ? "PR" : "CR";
      case CONNECTING -> "CC";
      default -> "CD";
    });
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (termination == null && state != State.CLOSED) {
      termination = state == State.ROUTING ? "CR" : state == State.CONNECTING ? "CC" : "--";
    }
    finish();
    ctx.fireChannelInactive();
  }

  private void toBackend(ByteBuf buf) {
    int n = buf.readableBytes();
    bytesIn += n;
    listener.stats().bytesReceived().add(n);
    target.stats().bytesReceived().add(n);
    backend.write(buf, backend.voidPromise());
  }

  // ---------------------------------------------------------------- the backend connection

  private void connect() {
    endpoint = null;
    // Balancers pass over full endpoints; another connection may still take the last slot first.
    for (int i = 0; i < 3 && endpoint == null; i++) {
      EndpointRuntime e = target.backend().pick(clientAddress);
      if (e == null) {
        break;
      }
      if (e.state().tryOpen()) {
        endpoint = e;
      }
    }
    if (endpoint == null) {
      end("SC");
      return;
    }
    attempts++;
    endpointInUse = true;
    Bootstrap b = new Bootstrap()
        .group(ctx.channel().eventLoop())
        .channel(options.channelClass())
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, options.waterMark())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, target.backend().connectTimeoutMillis()))
        .handler(new RelayBackendHandler(this));
    ChannelFuture f = b.connect(endpoint.address());
    dialling = f.channel();
    f.addListener(done -> connected(f));
  }

  private void connected(ChannelFuture f) {
    Channel ch = f.channel();
    if (ch != dialling) {
      // Abandoned when the client went away; the endpoint was released then.
      ch.close();
      return;
    }
    dialling = null;
    if (!f.isSuccess()) {
      endpoint.connectFailures().increment();
      target.backend().failed(endpoint);
      releaseEndpoint();
      if (state != State.CONNECTING) {
        return;
      }
      if (attempts <= CONNECT_RETRIES) {
        target.backend().retried(BackendRuntime.RetryReason.CONNECT);
        connect();
      } else {
        end(f.cause() instanceof ConnectTimeoutException ? "sC" : "SC");
      }
      return;
    }
    target.backend().succeeded(endpoint);
    backend = ch;
    state = State.RELAYING;
    connectedNanos = System.nanoTime();
    lastActivityNanos = connectedNanos;
    counted = true;
    target.stats().connections().increment();
    target.stats().activeConnections().increment();
    switch (target.proxyProtocol()) {
      case V1 -> backend.write(ProxyProtocolHeader.v1(backend.alloc(),
          (InetSocketAddress) ctx.channel().remoteAddress(), (InetSocketAddress) ctx.channel().localAddress()));
      case V2 -> backend.write(ProxyProtocolHeader.v2(backend.alloc(),
          (InetSocketAddress) ctx.channel().remoteAddress(), (InetSocketAddress) ctx.channel().localAddress(),
          serverName.isEmpty() ? null : serverName));
      default -> {
      }
    }
    ByteBuf buf;
    while ((buf = pending.poll()) != null) {
      toBackend(buf);
    }
    backend.flush();
    if (clientInputShut) {
      shutdownOutputAfterWrites(backend);
    } else {
      ctx.read();
    }
    backend.read();
    arm(lastActivityNanos + listener.timeouts().tunnelNanos());
  }

  void backendRead(Channel ch, ByteBuf buf) {
    if (ch != backend || state != State.RELAYING) {
      buf.release();
      return;
    }
    lastActivityNanos = System.nanoTime();
    int n = buf.readableBytes();
    bytesOut += n;
    listener.stats().bytesSent().add(n);
    target.stats().bytesSent().add(n);
    ctx.write(buf, ctx.voidPromise());
  }

  void backendReadComplete(Channel ch) {
    if (ch != backend || state != State.RELAYING) {
      return;
    }
    ctx.flush();
    if (ctx.channel().isWritable() && !backendInputShut) {
      backend.read();
    }
  }

  void backendWritabilityChanged(Channel ch) {
    if (ch == backend && state == State.RELAYING && ch.isWritable() && !clientInputShut) {
      ctx.read();
    }
  }

  void backendInputShutdown(Channel ch) {
    if (ch != backend || state != State.RELAYING) {
      return;
    }
    backendInputShut = true;
    shutdownOutputAfterWrites(ctx.channel());
    endIfBothDone();
  }

  void backendFailed(Channel ch) {
    if (ch == backend) {
      end("SD");
    }
  }

  void backendClosed(Channel ch) {
    if (ch == backend && state == State.RELAYING) {
      end("--");
    }
  }

  // ---------------------------------------------------------------- the end

  /** Shuts the output of {@code ch} down once what was written to it is flushed: the peer sees FIN. */
  private static void shutdownOutputAfterWrites(Channel ch) {
    ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
      if (ch.isActive() && ch instanceof DuplexChannel duplex) {
        duplex.shutdownOutput();
      }
    });
  }

  private void endIfBothDone() {
    if (clientInputShut && backendInputShut) {
      end("--");
    }
  }

  /** Ends the relay: what is written is flushed, then both connections close. The first cause is logged. */
  private void end(String why) {
    if (termination == null) {
      termination = why;
    }
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    if (backend != null) {
      backend.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  /** Metrics, the endpoint's use count and the access-log line; once, when the client connection closed. */
  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    state = State.CLOSED;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    if (dialling != null) {
      Channel d = dialling;
      dialling = null;
      d.close();
    }
    if (backend != null) {
      backend.close();
    }
    ByteBuf buf;
    while ((buf = pending.poll()) != null) {
      buf.release();
    }
    releaseEndpoint();
    if (counted) {
      target.stats().activeConnections().decrement();
    }
    if (accessLog.enabled()) {
      long now = System.nanoTime();
      accessLog.log(new ConnectionRecord(clientLabel, startMillis, listener.lbId(), listener.name(),
          listener.protocol().name(), serverName, route,
          target == null ? "" : target.backend().name(), endpoint == null ? "" : endpoint.label(),
          connectedNanos == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(connectedNanos - startNanos),
          TimeUnit.NANOSECONDS.toMillis(now - startNanos), bytesIn, bytesOut,
          termination == null ? "--" : termination, Math.max(0, attempts - 1)));
    }
  }

  private void releaseEndpoint() {
    if (endpointInUse) {
      endpointInUse = false;
      endpoint.state().closed();
    }
  }

  // ---------------------------------------------------------------- timeouts

  private void arm(long deadline) {
    if (timer != null) {
      timer.cancel(false);
    }
    timer = ctx.executor().schedule(timerTask, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /** The ClientHello timeout while routing, the tunnel (inactivity) timeout while relaying. */
  private void onTimer() {
    timer = null;
    long now = System.nanoTime();
    long deadline;
    String expired;
    switch (state) {
      case ROUTING -> {
        deadline = startNanos + listener.timeouts().clientNanos();
        expired = "cR";
      }
      case RELAYING -> {
        deadline = lastActivityNanos + listener.timeouts().tunnelNanos();
        expired = "cD";
      }
      default -> {
        // Connecting is bounded by the connect timeout of the dial itself.
        return;
      }
    }
    if (now - deadline < 0) {
      arm(deadline);
    } else {
      end(expired);
    }
  }
}
