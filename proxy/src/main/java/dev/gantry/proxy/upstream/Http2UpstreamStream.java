package dev.gantry.proxy.upstream;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Makes one HTTP/2 stream to a backend look to the exchange like an HTTP/1.1 connection: a response head,
 * then body parts ending with a last one that carries the trailers. A response the codec hands over whole
 * (one HEADERS frame that ended the stream) becomes an {@link EndStreamResponse} and an empty last part;
 * the {@code x-http2-*} headers the codec adds for its own use are removed both ways. Every request says
 * {@code te: trailers} (the only TE HTTP/2 allows): the proxy relays trailers, and gRPC servers expect it.
 *
 * <p>It also tells whether a stream that ends without an answer was never processed by the backend, so the
 * request may be sent again whatever its method: the backend refused it (RST_STREAM REFUSED_STREAM), its
 * connection's GOAWAY left it out, or its HEADERS could not even be sent.
 */
final class Http2UpstreamStream extends ChannelDuplexHandler {

  private static final HttpConversionUtil.ExtensionHeaderNames[] EXTENSIONS =
      HttpConversionUtil.ExtensionHeaderNames.values();

  private final UpstreamConnection connection;
  private boolean answered;

  Http2UpstreamStream(UpstreamConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpResponse resp) {
      answered = true;
      stripExtensionHeaders(resp.headers());
      if (resp instanceof FullHttpResponse full) {
        boolean interim = full.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        ctx.fireChannelRead(interim ? new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers())
            : new EndStreamResponse(full.protocolVersion(), full.status(), full.headers()));
        ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
        return;
      }
    } else if (msg instanceof LastHttpContent last) {
      stripExtensionHeaders(last.trailingHeaders());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (!answered && (evt instanceof Http2GoAwayFrame
        || evt instanceof Http2ResetFrame reset && reset.errorCode() == Http2Error.REFUSED_STREAM.code())) {
      connection.markRefused();
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof HttpRequest req)) {
      ctx.write(msg, promise);
      return;
    }
    ChannelPromise sent = promise.isVoid() ? ctx.newPromise() : promise;
    sent.addListener(f -> {
      if (!f.isSuccess()) {
        connection.markRefused();
      }
    });
    req.headers().set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
    ctx.write(msg, sent);
    // The request goes on as it was (a retry may go to an HTTP/1.1 hop's rules): without what was added here.
    req.headers().remove(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text());
    req.headers().remove(HttpHeaderNames.TE);
  }

  static void stripExtensionHeaders(HttpHeaders headers) {
    for (HttpConversionUtil.ExtensionHeaderNames name : EXTENSIONS) {
      headers.remove(name.text());
    }
  }
}
