package dev.gantry.proxy.l7;

import dev.gantry.proxy.http1.VerbatimRequest;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.Collection;
import java.util.List;

/**
 * The HTTP/1.1 Upgrade to h2c (RFC 7540 §3.2), honoured on the first request of a connection only, and only
 * when that request is well-formed: HTTP/1.1, accepted by {@link RequestValidator}, an origin-form target, no
 * body and no Expect, {@code Upgrade} naming {@code h2c}, {@code Connection} naming {@code Upgrade} and
 * {@code HTTP2-Settings}, and exactly one valid {@code HTTP2-Settings}. Anything else is an ordinary HTTP/1.1
 * request (a WebSocket upgrade, for one). The upgraded request is answered on stream 1, through the same
 * stream handlers as any HTTP/2 request.
 */
final class H2cUpgrade extends HttpServerUpgradeHandler {

  static final AsciiString H2C = AsciiString.cached("h2c");

  /** Installs the HTTP/2 connection handlers right after the given context and returns the frame codec. */
  interface Switch {
    Http2FrameCodec toHttp2(ChannelHandlerContext after);
  }

  /**
   * @param http1Handlers the names of the HTTP/1.1 handlers that give way on upgrade, the codec last
   */
  H2cUpgrade(Switch http2, List<String> http1Handlers) {
    super(ctx -> http1Handlers.forEach(ctx.pipeline()::remove),
        protocol -> AsciiString.contentEqualsIgnoreCase(protocol, H2C) ? new Codec(http2) : null,
        0, DefaultHttpHeadersFactory.headersFactory(), DefaultHttpHeadersFactory.trailersFactory(), true);
  }

  /**
   * A request whose head can be relayed as it arrived has no Upgrade field (see {@link VerbatimRequest}): it
   * passes on untouched, as Netty's handler would pass it on after building its headers to look for one, and
   * this handler leaves the pipeline as after any first request that is not an upgrade.
   */
  @Override
  protected void decode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out) throws Exception {
    if (VerbatimRequest.untouched(msg) == null) {
      super.decode(ctx, msg, out);
      return;
    }
    ctx.pipeline().remove(this);
    ctx.fireChannelRead(ReferenceCountUtil.retain(msg));
  }

  @Override
  protected boolean shouldHandleUpgradeRequest(HttpRequest req) {
    return isWellFormedUpgrade(req);
  }

  /** Whether the request asks for h2c and may be answered with 101 and then on stream 1. */
  static boolean isWellFormedUpgrade(HttpRequest req) {
    HttpHeaders h = req.headers();
    if (!req.decoderResult().isSuccess() || !HttpVersion.HTTP_1_1.equals(req.protocolVersion())
        || req.method() == HttpMethod.CONNECT || !req.uri().startsWith("/") || RequestValidator.check(req) != null) {
      return false;
    }
    if (h.contains(HttpHeaderNames.TRANSFER_ENCODING) || h.contains(HttpHeaderNames.EXPECT)
        || h.getAll(HttpHeaderNames.CONTENT_LENGTH).stream().anyMatch(v -> !"0".equals(v.trim()))) {
      // A body would have to be read whole before stream 1 could start: answered over HTTP/1.1 instead.
      return false;
    }
    List<String> upgrades = h.getAll(HttpHeaderNames.UPGRADE);
    if (upgrades.size() != 1 || !hasToken(upgrades, H2C)) {
      return false;
    }
    List<String> connection = h.getAll(HttpHeaderNames.CONNECTION);
    if (!hasToken(connection, HttpHeaderNames.UPGRADE)
        || !hasToken(connection, Http2CodecUtil.HTTP_UPGRADE_SETTINGS_HEADER)) {
      return false;
    }
    List<String> settings = h.getAll(Http2CodecUtil.HTTP_UPGRADE_SETTINGS_HEADER);
    return settings.size() == 1 && H2cSettings.decode(settings.get(0)) != null;
  }

  /**
   * When the Upgrade field names h2c, removes it and {@code HTTP2-Settings} (both hop-by-hop) and says so: such a
   * request reached the exchange handler because it was not honoured, and goes on as a plain request.
   */
  static boolean dropH2cUpgrade(HttpHeaders h) {
    if (!hasToken(h.getAll(HttpHeaderNames.UPGRADE), H2C)) {
      return false;
    }
    h.remove(HttpHeaderNames.UPGRADE);
    h.remove(Http2CodecUtil.HTTP_UPGRADE_SETTINGS_HEADER);
    return true;
  }

  private static boolean hasToken(List<String> fields, CharSequence token) {
    for (String field : fields) {
      for (String part : field.split(",", -1)) {
        if (AsciiString.contentEqualsIgnoreCase(part.trim(), token)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Switches one connection to HTTP/2 once the 101 was written. */
  private static final class Codec implements UpgradeCodec {

    private final Switch http2;
    private Http2Settings settings;

    Codec(Switch http2) {
      this.http2 = http2;
    }

    @Override
    public Collection<CharSequence> requiredUpgradeHeaders() {
      return List.of(Http2CodecUtil.HTTP_UPGRADE_SETTINGS_HEADER);
    }

    @Override
    public boolean prepareUpgradeResponse(ChannelHandlerContext ctx, FullHttpRequest request,
        HttpHeaders responseHeaders) {
      settings = H2cSettings.decode(request.headers().get(Http2CodecUtil.HTTP_UPGRADE_SETTINGS_HEADER));
      return settings != null;
    }

    @Override
    public void upgradeTo(ChannelHandlerContext ctx, FullHttpRequest request) {
      // Stream 1 carries the request as HTTP/2; its scheme is the listener's.
      request.headers().set(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(), "http");
      Http2FrameCodec codec = http2.toHttp2(ctx);
      try {
        codec.onHttpServerUpgrade(settings);
      } catch (Http2Exception e) {
        ctx.close();
      }
    }
  }
}
