package dev.gantry.proxy.l7;

import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.admin.ListenerStats;
import dev.gantry.proxy.config.ActiveConfig;
import dev.gantry.proxy.config.ListenerRuntime;
import dev.gantry.proxy.http1.ServerCodec;
import dev.gantry.proxy.upstream.UpstreamPools;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import java.util.List;

/** The handlers of an HTTP client connection, socket side first. */
public final class HttpPipeline {

  /** Longest request line; longer ones get 414. */
  public static final int MAX_REQUEST_LINE = 8 * 1024;
  /** Most bytes of request headers; more get 431. */
  public static final int MAX_REQUEST_HEADERS = 32 * 1024;
  /** Largest body piece handed on at once: bodies stream in pieces of at most this size. */
  static final int MAX_CHUNK = 64 * 1024;

  private HttpPipeline() {
  }

  /**
   * An HTTP listener's connection: HTTP/1.1, which gives way to HTTP/2 when the client starts with the HTTP/2
   * preface (h2c with prior knowledge) or asks for it with {@code Upgrade: h2c} in its first request.
   */
  public static void addTo(ChannelPipeline p, ListenerRuntime listener, ActiveConfig config, UpstreamPools pools,
      AccessLog accessLog) {
    ClientTraffic traffic = new ClientTraffic(listener.stats());
    p.addLast("traffic", traffic);
    p.addLast("h2c-preface", new H2cPreface(at -> {
      removeHttp1(at.pipeline());
      Http2Pipeline.addConnectionHandlers(at.pipeline(), at.name(), listener, config, pools, accessLog);
    }));
    p.addLast("http", serverCodec());
    p.addLast("h2c-upgrade", new H2cUpgrade(
        at -> Http2Pipeline.addConnectionHandlers(at.pipeline(), at.name(), listener, config, pools, accessLog),
        List.of("proxy", "http")));
    p.addLast("proxy", new HttpProxyHandler(config, listener.port(), pools, accessLog, traffic));
  }

  private static void removeHttp1(ChannelPipeline p) {
    p.remove("proxy");
    if (p.get("h2c-upgrade") != null) {
      p.remove("h2c-upgrade");
    }
    p.remove("http");
  }

  /**
   * Adds the HTTP/1.1 handlers after {@code at} on a connection that is already active (HTTPS, once ALPN
   * chose HTTP/1.1), and starts them.
   */
  static void addAfter(ChannelHandlerContext at, ListenerStats stats, ActiveConfig config, int port,
      UpstreamPools pools, AccessLog accessLog) {
    ClientTraffic traffic = new ClientTraffic(stats);
    at.pipeline().addAfter(at.name(), "traffic", traffic);
    at.pipeline().addAfter("traffic", "http", serverCodec());
    at.pipeline().addAfter("http", "proxy", new HttpProxyHandler(config, port, pools, accessLog, traffic));
    // They missed the connection becoming active; it is what starts the exchange handler.
    at.fireChannelActive();
  }

  /**
   * Netty's decoder made strict (CRLF only; Transfer-Encoding as RFC 9112 has it: refused with Content-Length
   * or in HTTP/1.0), behind a check of each head's raw bytes. See docs/http1-strictness.md.
   */
  static ServerCodec serverCodec() {
    return new ServerCodec(new HttpDecoderConfig()
        .setMaxInitialLineLength(MAX_REQUEST_LINE)
        .setMaxHeaderSize(MAX_REQUEST_HEADERS)
        .setMaxChunkSize(MAX_CHUNK)
        .setStrictLineParsing(true)
        .setUseRfc9112TransferEncoding(true), MAX_REQUEST_LINE, MAX_REQUEST_HEADERS);
  }
}
