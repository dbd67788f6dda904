package dev.gantry.proxy.l7;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * gRPC's view of an answer: a gRPC client reads {@code grpc-status}, not the HTTP status, so every answer a gRPC
 * request gets that did not come from a gRPC server is turned into a "trailers-only" response (HTTP 200,
 * {@code content-type: application/grpc}, {@code grpc-status}, {@code grpc-message}, no body), which an HTTP/2
 * client receives as one HEADERS frame that ends the stream.
 */
public final class GrpcStatus {

  public static final int UNKNOWN = 2;
  public static final int DEADLINE_EXCEEDED = 4;
  public static final int PERMISSION_DENIED = 7;
  public static final int RESOURCE_EXHAUSTED = 8;
  public static final int UNIMPLEMENTED = 12;
  public static final int INTERNAL = 13;
  public static final int UNAVAILABLE = 14;
  public static final int UNAUTHENTICATED = 16;

  static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
  static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");
  static final AsciiString APPLICATION_GRPC = AsciiString.cached("application/grpc");

  private GrpcStatus() {
  }

  /** Whether a message with these headers is gRPC: its content type is {@code application/grpc[+...|;...]}. */
  public static boolean isGrpc(HttpHeaders headers) {
    String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
    return type != null && type.regionMatches(true, 0, "application/grpc", 0, 16)
        && (type.length() == 16 || type.charAt(16) == '+' || type.charAt(16) == ';');
  }

  /**
   * The code of an answer the proxy makes itself: its own failures say what happened (a timeout is a missed
   * deadline, a missing route an unimplemented method).
   */
  public static int ofLocalAnswer(int httpStatus) {
    return switch (httpStatus) {
      case 502, 503 -> UNAVAILABLE;
      case 504, 408 -> DEADLINE_EXCEEDED;
      case 404 -> UNIMPLEMENTED;
      case 403 -> PERMISSION_DENIED;
      case 429 -> RESOURCE_EXHAUSTED;
      case 401 -> UNAUTHENTICATED;
      default -> INTERNAL;
    };
  }

  /**
   * The code of a backend's answer that is not gRPC (an HTML error page of a server or proxy in front of the gRPC
   * service), as gRPC's own HTTP-to-gRPC status table maps it.
   */
  public static int ofBackendAnswer(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> INTERNAL;
      case 401 -> UNAUTHENTICATED;
      case 403 -> PERMISSION_DENIED;
      case 404 -> UNIMPLEMENTED;
      case 429, 502, 503, 504 -> UNAVAILABLE;
      default -> UNKNOWN;
    };
  }

  /**
   * A trailers-only response. {@code message} must be printable ASCII without {@code %} (the proxy's own
   * messages are), so it needs no percent-encoding.
   */
  public static FullHttpResponse trailersOnly(int code, String message, boolean close) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.EMPTY_BUFFER);
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, APPLICATION_GRPC)
        .set(GRPC_STATUS, code)
        .set(GRPC_MESSAGE, message)
        // HTTP/1.1 needs the framing; on HTTP/2 an empty HEADERS frame with END_STREAM frames it.
        .set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
    if (close) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return r;
  }
}
