package dev.gantry.proxy.l4;

import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.config.EndpointRuntime;
import dev.gantry.proxy.config.ListenerRuntime;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.util.ArrayDeque;

/**
 * What the parts of one {@link TcpProxyHandler} share: the client connection, the backend it was routed
 * to and the connection to it, how far each direction got, the figures of its access-log line, and the
 * parts themselves ({@link BackendDialer}, {@link RelayTimeouts}). Built once per client connection;
 * everything here is used on that connection's one event loop.
 */
final class RelayConnection {

  enum State {
    /** TLS listeners: waiting for the ClientHello that chooses the backend. */
    ROUTING,
    CONNECTING,
    RELAYING,
    CLOSED
  }

  final ListenerRuntime listener;
  final RelayOptions options;
  final AccessLog accessLog;
  /** What the client sent before the backend connection was ready. */
  final ArrayDeque<ByteBuf> pending = new ArrayDeque<>(2);
  final BackendDialer dialer;
  final RelayTimeouts timeouts;

  ChannelHandlerContext ctx;
  State state = State.ROUTING;
  InetAddress clientAddress;
  String clientLabel;
  String serverName = "";
  String route = "";
  RelayTarget target;
  EndpointRuntime endpoint;
  /** {@code opened()} was reported for {@link #endpoint} and {@code closed()} not yet. */
  boolean endpointInUse;
  boolean counted;
  Channel dialling;
  Channel backend;
  boolean clientInputShut;
  boolean backendInputShut;
  int attempts;
  String termination;
  long startNanos;
  long startMillis;
  long connectedNanos;
  long lastActivityNanos;
  long bytesIn;
  long bytesOut;

  RelayConnection(ListenerRuntime listener, RelayOptions options, AccessLog accessLog) {
    this.listener = listener;
    this.options = options;
    this.accessLog = accessLog;
    this.dialer = new BackendDialer(this);
    this.timeouts = new RelayTimeouts(this);
  }

  /** Passes client bytes to the backend, counted. */
  void toBackend(ByteBuf buf) {
    int n = buf.readableBytes();
    bytesIn += n;
    listener.stats().bytesReceived().add(n);
    target.stats().bytesReceived().add(n);
    backend.write(buf, backend.voidPromise());
  }

  /**
   * Shuts the output of {@code ch} down once what was written to it is flushed: the peer sees FIN; on a terminated
   * TLS connection, after TLS's own close_notify.
   */
  static void shutdownOutputAfterWrites(Channel ch) {
    SslHandler tls = ch.pipeline().get(SslHandler.class);
    ChannelFuture flushed = ch.writeAndFlush(Unpooled.EMPTY_BUFFER);
    if (tls != null) {
      flushed = tls.closeOutbound();
    }
    flushed.addListener(f -> {
      if (ch.isActive() && ch instanceof DuplexChannel duplex) {
        duplex.shutdownOutput();
      }
    });
  }

  void endIfBothDone() {
    if (clientInputShut && backendInputShut) {
      end("--");
    }
  }

  /** Ends the relay: what is written is flushed, then both connections close. The first cause is logged. */
  void end(String why) {
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

  /** Gives the endpoint's use back, once. */
  void releaseEndpoint() {
    if (endpointInUse) {
      endpointInUse = false;
      endpoint.state().closed();
    }
  }
}
