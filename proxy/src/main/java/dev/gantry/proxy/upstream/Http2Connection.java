package dev.gantry.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * One HTTP/2 connection to a backend endpoint, carrying many exchanges as streams, owned by one event loop.
 * It takes streams until it holds its limit at once (the lower of {@link Http2EndpointPool#MAX_STREAMS_PER_CONNECTION}
 * and the server's SETTINGS_MAX_CONCURRENT_STREAMS); until the server's first SETTINGS frame says how
 * many it allows, takers wait. After a GOAWAY it takes no new stream and closes when its last one ends.
 */
final class Http2Connection {

  /** A taker waiting for the server's SETTINGS. */
  private record Waiter(UpstreamListener listener, long attempt) {
  }

  /** The connection's receive window: room for a full stream window of each of the most streams it carries. */
  static final int CONNECTION_WINDOW = Http2EndpointPool.MAX_STREAMS_PER_CONNECTION * Http2CodecUtil.DEFAULT_WINDOW_SIZE;

  private final Http2EndpointPool pool;
  private final Channel channel;
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private Http2StreamChannelBootstrap streams;
  private int taken;
  private int limit = Http2EndpointPool.MAX_STREAMS_PER_CONNECTION;
  private boolean ready;
  private boolean draining;
  private boolean closed;
  private Throwable failure;
  private long idleSinceNanos = System.nanoTime();
  private final Promise<Void> settled;

  Http2Connection(Http2EndpointPool pool, Channel channel) {
    this.pool = pool;
    this.channel = channel;
    this.settled = channel.eventLoop().newPromise();
  }

  /** Done when the connection is ready for streams or failed. */
  Future<Void> settled() {
    return settled;
  }

  boolean closed() {
    return closed;
  }

  boolean hasRoom() {
    return !closed && !draining && taken < limit;
  }

  boolean idleSince(long now, long maxIdleNanos) {
    return ready && taken == 0 && now - idleSinceNanos >= maxIdleNanos;
  }

  /** Gives {@code listener} a stream: now if the connection is ready, else once the server's SETTINGS came. */
  void take(UpstreamListener listener, long attempt, boolean reused) {
    if (closed) {
      // Failed already (a connect can fail before the pool even saw the connection).
      listener.upstreamConnectFailed(attempt, failure != null ? failure : new ClosedChannelException());
      return;
    }
    taken++;
    if (ready) {
      open(listener, attempt, reused);
    } else {
      waiting.add(new Waiter(listener, attempt));
    }
  }

  /** The transport (and TLS) is up: speak HTTP/2 on it. */
  void start() {
    channel.config().setAutoRead(true);
    channel.pipeline().addLast(
        Http2FrameCodecBuilder.forClient()
            // Response heads as large as from an HTTP/1.1 backend; a larger one resets its stream (502).
            .initialSettings(Http2Settings.defaultSettings().pushEnabled(false)
                .maxHeaderListSize(UpstreamPools.MAX_RESPONSE_HEADERS))
            .validateHeaders(true)
            .build(),
        new Http2MultiplexHandler(new RefusePush()),
        new Events());
    // Every stream may have its whole window unread (a slow client) without stalling the others.
    channel.writeAndFlush(new DefaultHttp2WindowUpdateFrame(CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
    streams = new Http2StreamChannelBootstrap(channel)
        .option(ChannelOption.AUTO_READ, false)
        .handler(new StreamInitializer());
  }

  /** The connection could not be made (refused, TLS, or no SETTINGS in time): every waiter learns of it. */
  void failed(Throwable cause) {
    if (closed || ready) {
      return;
    }
    closed = true;
    failure = cause;
    settled.trySuccess(null);
    pool.remove(this);
    channel.close();
    Waiter w;
    while ((w = waiting.poll()) != null) {
      w.listener().upstreamConnectFailed(w.attempt(), cause);
    }
  }

  void close() {
    closed = true;
    channel.close();
  }

  private void settingsReceived(Http2Settings settings) {
    Long max = settings.maxConcurrentStreams();
    if (max != null) {
      limit = (int) Math.max(0, Math.min(Http2EndpointPool.MAX_STREAMS_PER_CONNECTION, max));
    }
    if (ready || closed) {
      return;
    }
    ready = true;
    settled.trySuccess(null);
    int opened = 0;
    Waiter w;
    while ((w = waiting.poll()) != null) {
      if (opened < limit && !draining) {
        opened++;
        open(w.listener(), w.attempt(), false);
      } else {
        // The server allows fewer streams than were promised: the rest go to another connection.
        taken--;
        pool.retake(w.listener(), w.attempt());
      }
    }
  }

  private void goAwayReceived() {
    draining = true;
    if (taken == 0) {
      close();
    }
  }

  private void inactive() {
    if (!ready) {
      failed(new java.io.IOException("the backend closed the HTTP/2 connection before its SETTINGS"));
      return;
    }
    closed = true;
    pool.remove(this);
  }

  private void open(UpstreamListener listener, long attempt, boolean reused) {
    Future<Http2StreamChannel> opening = streams.open();
    opening.addListener(f -> {
      if (!f.isSuccess()) {
        streamEnded();
        listener.upstreamConnectFailed(attempt, f.cause());
        return;
      }
      Http2StreamChannel stream = opening.getNow();
      stream.closeFuture().addListener(c -> streamEnded());
      UpstreamConnection c = stream.pipeline().get(UpstreamConnection.class);
      c.attach(listener);
      listener.upstreamConnected(c, reused, attempt);
    });
  }

  private void streamEnded() {
    if (--taken == 0) {
      idleSinceNanos = System.nanoTime();
      if (draining) {
        close();
      }
    }
  }

  /** A stream's pipeline: the HTTP/1.1-shaped messages the exchange handler reads and writes. */
  private static final class StreamInitializer extends ChannelInitializer<Http2StreamChannel> {
    @Override
    protected void initChannel(Http2StreamChannel ch) {
      UpstreamConnection connection = new UpstreamConnection();
      ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), new Http2UpstreamStream(connection),
          connection);
    }
  }

  /** Pushed streams are never asked for (SETTINGS_ENABLE_PUSH is 0): one that comes anyway is closed. */
  @ChannelHandler.Sharable
  private static final class RefusePush extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }

  /** The connection's own frames and its end, after the multiplexer took the streams' frames. */
  private final class Events extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http2SettingsFrame s) {
        settingsReceived(s.settings());
      } else if (msg instanceof Http2GoAwayFrame) {
        goAwayReceived();
      }
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      inactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // A connection error: the codec sent GOAWAY; the streams learn of it as they close.
      ctx.close();
    }
  }
}
