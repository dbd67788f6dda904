package dev.gantry.proxy.upstream;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A response head that ended its HTTP/2 stream: nothing but an empty last part follows. gRPC answers a failed
 * call this way ("trailers-only": status and {@code grpc-status} in one HEADERS frame), and an HTTP/2 client
 * must get it back as one HEADERS frame with END_STREAM, not a HEADERS frame and an empty DATA frame.
 */
public final class EndStreamResponse extends DefaultHttpResponse {

  EndStreamResponse(HttpVersion version, HttpResponseStatus status, HttpHeaders headers) {
    super(version, status, headers);
  }
}
