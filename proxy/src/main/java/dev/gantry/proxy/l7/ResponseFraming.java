package dev.gantry.proxy.l7;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Framing a backend's response head must have to be relayed, beyond what the backend codec already refused
 * (duplicate or malformed Content-Length, Content-Length with Transfer-Encoding, chunked not last or twice,
 * Transfer-Encoding in HTTP/1.0, raw syntax). A refused response is never relayed: the client gets 502 and
 * the backend connection is closed.
 */
final class ResponseFraming {

  private ResponseFraming() {
  }

  /** True when the head's framing is unambiguous. */
  static boolean acceptable(HttpResponse resp) {
    HttpHeaders h = resp.headers();
    int code = resp.status().code();
    String te = h.get(HttpHeaderNames.TRANSFER_ENCODING);
    if (te != null) {
      // RFC 9112 6.1: never on 1xx or 204; any coding but chunked alone would make the length the
      // connection's, which nginx refuses too.
      if (code < 200 || code == 204 || !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(te)) {
        return false;
      }
    }
    String length = h.get(HttpHeaderNames.CONTENT_LENGTH);
    if (length != null && (code < 200 || code == 204) && !length.equals("0")) {
      // RFC 9112 6.2: a body length where there is no body.
      return false;
    }
    return !ConnectionOptions.namesFramingHeader(h);
  }
}
