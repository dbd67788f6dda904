package dev.gantry.proxy.l7;

import dev.gantry.proxy.config.RouteRuntime;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/** Turns a backend's response head into the one the client gets. */
final class ResponseHeads {

  private ResponseHeads() {
  }

  /** True when a response to {@code method} with this status never has a body. */
  static boolean isBodyless(HttpMethod method, int status) {
    return method.equals(HttpMethod.HEAD) || status == 204 || status == 304 || (status >= 100 && status < 200);
  }

  /** True when the backend connection can carry another request after this response. */
  static boolean backendKeepsAlive(HttpResponse resp, HttpMethod method) {
    boolean framed = HttpUtil.isContentLengthSet(resp) || HttpUtil.isTransferEncodingChunked(resp)
        || isBodyless(method, resp.status().code());
    return framed && HttpUtil.isKeepAlive(resp);
  }

  /**
   * True when {@link #prepare} would change nothing in a {@link dev.gantry.proxy.http1.VerbatimResponse} whose
   * client connection stays open: an HTTP/1.1 client, and a route that edits no response header and stamps no
   * session cookie.
   */
  static boolean relayedAsIs(RouteRuntime route, HttpVersion clientVersion) {
    return HttpVersion.HTTP_1_1.equals(clientVersion)
        && (route == null || route.responseEdits().isEmpty() && route.sessions() == null);
  }

  /**
   * Strips hop-by-hop headers, applies the route's response edits, and frames the body for the client:
   * chunked for HTTP/1.1 when the backend delimits by closing, and close-delimited for HTTP/1.0.
   *
   * @return whether the client connection stays open after this response
   */
  static boolean prepare(HttpResponse resp, RouteRuntime route, HttpVersion clientVersion, HttpMethod method,
      boolean keepAlive) {
    HttpHeaders h = resp.headers();
    boolean backendCloses = !HttpUtil.isKeepAlive(resp);
    ForwardingHeaders.stripHopByHop(h, false);
    if (route != null) {
      route.responseEdits().applyTo(h);
    }
    boolean http10 = clientVersion.equals(HttpVersion.HTTP_1_0);
    if (!isBodyless(method, resp.status().code())) {
      boolean chunked = HttpUtil.isTransferEncodingChunked(resp);
      if (chunked && http10) {
        h.remove(HttpHeaderNames.TRANSFER_ENCODING);
        keepAlive = false;
      } else if (!chunked && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        if (http10) {
          keepAlive = false;
        } else {
          HttpUtil.setTransferEncodingChunked(resp, true);
        }
      }
    }
    // A backend that closes after a close-delimited body only: a framed response keeps the client alive.
    if (backendCloses && http10 && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      keepAlive = false;
    }
    if (!keepAlive) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (http10) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    resp.setProtocolVersion(HttpVersion.HTTP_1_1);
    return keepAlive;
  }
}
