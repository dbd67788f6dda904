package dev.gantry.proxy.l7;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The proxy's own answers: small, plain text, and free of internal detail. */
public final class ErrorResponses {

  private ErrorResponses() {
  }

  /** The answer to a request, gRPC's trailers-only form when the request is gRPC (see {@link GrpcStatus}). */
  public static FullHttpResponse of(HttpResponseStatus status, boolean close, boolean grpc) {
    return grpc ? GrpcStatus.trailersOnly(GrpcStatus.ofLocalAnswer(status.code()),
        status.code() + " " + status.reasonPhrase(), close) : of(status, close);
  }

  public static FullHttpResponse of(HttpResponseStatus status, boolean close) {
    if (status.code() == 204 || status.code() == 304) {
      // no body, and no framing header: a fixedResponse backend may answer with these
      FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
      r.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
      if (close) {
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
      return r;
    }
    ByteBuf body = Unpooled.copiedBuffer(status.code() + " " + status.reasonPhrase() + "\n", StandardCharsets.US_ASCII);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
    if (close) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return r;
  }

  /** A 301 to the same host and request target on an HTTPS port. */
  public static FullHttpResponse redirect(String host, int httpsPort, String uri, boolean close) {
    FullHttpResponse r = of(HttpResponseStatus.MOVED_PERMANENTLY, close);
    String authority = httpsPort == 443 ? host : hostForPort(host) + ":" + httpsPort;
    r.headers().set(HttpHeaderNames.LOCATION, "https://" + authority + uri);
    return r;
  }

  private static String hostForPort(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
