package dev.gantry.proxy.l7;

import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.admin.ListenerStats;
import dev.gantry.proxy.config.ActiveConfig;
import dev.gantry.proxy.http1.ServerCodec;
import dev.gantry.proxy.upstream.UpstreamPools;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;

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

  public static void addTo(ChannelPipeline p, ListenerStats stats, ActiveConfig config, int port,
      UpstreamPools pools, AccessLog accessLog) {
    ClientTraffic traffic = new ClientTraffic(stats);
    p.addLast("traffic", traffic);
    p.addLast("http", serverCodec());
    p.addLast("proxy", new HttpProxyHandler(config, port, pools, accessLog, traffic));
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
