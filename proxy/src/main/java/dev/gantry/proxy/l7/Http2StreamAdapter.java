package dev.gantry.proxy.l7;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import dev.gantry.proxy.upstream.EndStreamResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Exception;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes an HTTP/2 stream look to the exchange handler exactly like an HTTP/1.1 request: a head, then body
 * parts ending with a last one (the codec hands over a request without body as one full message), marked
 * with version {@code HTTP/2.0} for the access log, without the {@code x-http2-*} headers the codec adds for
 * its own use. On the way out, the empty buffer an HTTP/1.1 exchange flushes before closing has no meaning
 * for a stream and is dropped, and a head that ended the backend's HTTP/2 stream ({@link EndStreamResponse})
 * followed by an empty last part goes out as one HEADERS frame ending the stream, as it came (gRPC's
 * trailers-only responses).
 */
final class Http2StreamAdapter extends ChannelDuplexHandler {

  /** Keep-alive by default, as HTTP/1.1: the stream, not a Connection header, ends the exchange. */
  static final HttpVersion HTTP_2 = new HttpVersion("HTTP", 2, 0, true);
  private static final String EXTENSION_PREFIX = "x-http2-";

  private EndStreamResponse endStreamHead;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest req) {
      stripExtensionHeaders(req.headers());
      if (req instanceof FullHttpRequest full) {
        ctx.fireChannelRead(new DefaultHttpRequest(HTTP_2, full.method(), full.uri(), full.headers()));
        ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
        return;
      }
      req.setProtocolVersion(HTTP_2);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf buf && !buf.isReadable()) {
      buf.release();
      promise.trySuccess();
      return;
    }
    if (endStreamHead != null) {
      EndStreamResponse head = endStreamHead;
      endStreamHead = null;
      if (msg instanceof LastHttpContent last && !last.content().isReadable() && last.trailingHeaders().isEmpty()) {
        last.release();
        ctx.write(new DefaultFullHttpResponse(head.protocolVersion(), head.status(), Unpooled.EMPTY_BUFFER,
            head.headers(), EmptyHttpHeaders.INSTANCE), promise);
        return;
      }
      ctx.write(head, ctx.voidPromise());
    }
    if (msg instanceof EndStreamResponse head) {
      // Held until the next part shows whether the stream ends with the head.
      endStreamHead = head;
      promise.trySuccess();
      return;
    }
    ctx.write(msg, promise);
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (endStreamHead != null) {
      ctx.write(endStreamHead, ctx.voidPromise());
      endStreamHead = null;
    }
    ctx.flush();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof Http2Exception) {
      // A stream error the codec found: the stream is reset with its error code right after this.
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  private static void stripExtensionHeaders(HttpHeaders headers) {
    List<String> extensions = null;
    for (String name : headers.names()) {
      if (name.regionMatches(true, 0, EXTENSION_PREFIX, 0, EXTENSION_PREFIX.length())) {
        if (extensions == null) {
          extensions = new ArrayList<>(2);
        }
        extensions.add(name);
      }
    }
    if (extensions != null) {
      extensions.forEach(headers::remove);
    }
  }
}
