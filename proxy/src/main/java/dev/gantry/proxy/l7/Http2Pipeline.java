package dev.gantry.proxy.l7;

import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.config.ActiveConfig;
import dev.gantry.proxy.config.ListenerRuntime;
import dev.gantry.proxy.upstream.UpstreamPools;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/2 on an HTTPS connection (ALPN {@code h2}) or on an HTTP one (h2c: see {@link H2cPreface} and
 * {@link H2cUpgrade}). Each stream becomes a child channel running the same exchange handler as
 * an HTTP/1.1 connection, behind a codec that turns frames into HTTP/1.1 messages: so a stream is routed,
 * timed, logged and forwarded over the HTTP/1.1 backend pools exactly like a request on its own connection.
 *
 * <p>Backpressure: a stream is read (and its flow-control window given back to the client) only as fast as
 * its backend takes the body; the connection itself is read freely, bounded by the connection window.
 */
final class Http2Pipeline {

  /** Concurrent streams a client may open on one connection; more are refused (RST_STREAM REFUSED_STREAM). */
  static final int MAX_CONCURRENT_STREAMS = 128;
  /**
   * RST_STREAM frames a client may send, and the proxy may have to send, per window before the connection ends
   * with GOAWAY ENHANCE_YOUR_CALM (rapid reset, CVE-2023-44487, and its server-side variant).
   */
  static final int MAX_RESETS_PER_WINDOW = 200;
  static final int RESET_WINDOW_SECONDS = 30;
  /** Empty DATA frames without END_STREAM in a row before the connection ends (ENHANCE_YOUR_CALM). */
  static final int MAX_CONSECUTIVE_EMPTY_DATA = 2;
  /** CONTINUATION frames under 8 KiB in a row before the connection ends (CVE-2024-27316). */
  static final int MAX_SMALL_CONTINUATIONS = 16;
  /** Answers (SETTINGS and PING acknowledgements, resets) queued for a client that does not read them. */
  static final int MAX_QUEUED_CONTROL_FRAMES = 10_000;

  private Http2Pipeline() {
  }

  /** Adds the HTTP/2 handlers after {@code at} on a connection whose TLS handshake chose {@code h2}. */
  static void addAfter(ChannelHandlerContext at, ListenerRuntime listener, ActiveConfig config,
      UpstreamPools pools, AccessLog accessLog) {
    at.pipeline().addAfter(at.name(), "traffic", new ClientTraffic(listener.stats()));
    addConnectionHandlers(at.pipeline(), "traffic", listener, config, pools, accessLog);
  }

  /**
   * Adds the connection's HTTP/2 handlers after the handler named {@code after}: the same for h2 (TLS) and h2c
   * (cleartext, by prior knowledge or Upgrade), so every limit here holds for both. Returns the frame codec.
   */
  static Http2FrameCodec addConnectionHandlers(ChannelPipeline p, String after, ListenerRuntime listener,
      ActiveConfig config, UpstreamPools pools, AccessLog accessLog) {
    Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
        .initialSettings(Http2Settings.defaultSettings()
            .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
            .maxHeaderListSize(HttpPipeline.MAX_REQUEST_HEADERS))
        .validateHeaders(true)
        .validateRequiredPseudoHeaders(true)
        .frameLogger(new Http2StreamStateCheck())
        .decoderEnforceMaxRstFramesPerWindow(MAX_RESETS_PER_WINDOW, RESET_WINDOW_SECONDS)
        .encoderEnforceMaxRstFramesPerWindow(MAX_RESETS_PER_WINDOW, RESET_WINDOW_SECONDS)
        .decoderEnforceMaxConsecutiveEmptyDataFrames(MAX_CONSECUTIVE_EMPTY_DATA)
        .decoderEnforceMaxSmallContinuationFrames(MAX_SMALL_CONTINUATIONS)
        .encoderEnforceMaxQueuedControlFrames(MAX_QUEUED_CONTROL_FRAMES)
        // A removed listener or an idle close lets running streams finish for up to the server timeout.
        .gracefulShutdownTimeoutMillis(TimeUnit.NANOSECONDS.toMillis(listener.timeouts().serverNanos()))
        .build();
    p.addAfter(after, "h2-idle", new IdleStateHandler(0, 0, listener.timeouts().clientNanos(),
        TimeUnit.NANOSECONDS));
    p.addAfter("h2-idle", "h2", codec);
    Http2ConnectionGuard guard = new Http2ConnectionGuard(codec);
    p.addAfter("h2", "h2-guard", guard);
    p.addAfter("h2-guard", "h2-streams", new Http2MultiplexHandler(
        new StreamInitializer(listener, config, pools, accessLog, guard)));
    // Streams are flow-controlled one by one; the connection is read as frames come.
    p.channel().config().setAutoRead(true);
    return codec;
  }

  /**
   * The pipeline of one stream: at first only {@link Http2StreamStart}; once the stream outlived the read that
   * opened it, frames to HTTP/1.1 messages, then the exchange handler.
   */
  private static final class StreamInitializer extends ChannelInitializer<Http2StreamChannel> {

    private final ListenerRuntime listener;
    private final ActiveConfig config;
    private final UpstreamPools pools;
    private final AccessLog accessLog;
    private final Http2ConnectionGuard guard;

    StreamInitializer(ListenerRuntime listener, ActiveConfig config, UpstreamPools pools, AccessLog accessLog,
        Http2ConnectionGuard guard) {
      this.listener = listener;
      this.config = config;
      this.pools = pools;
      this.accessLog = accessLog;
      this.guard = guard;
    }

    @Override
    protected void initChannel(Http2StreamChannel ch) {
      ch.pipeline().addLast("h2-start", new Http2StreamStart(this::addExchangeHandlers, guard::failed));
    }

    private void addExchangeHandlers(ChannelHandlerContext at) {
      ClientTraffic traffic = new ClientTraffic(listener.stats());
      at.pipeline()
          .addAfter(at.name(), "traffic", traffic)
          .addAfter("traffic", "h2-http", new Http2StreamFrameToHttpObjectCodec(true, true))
          .addAfter("h2-http", "h2-adapter", new Http2StreamAdapter())
          .addAfter("h2-adapter", "grpc", new GrpcAnswerTranslator())
          .addAfter("grpc", "proxy", new HttpProxyHandler(config, listener.port(), pools, accessLog, traffic));
    }
  }
}
