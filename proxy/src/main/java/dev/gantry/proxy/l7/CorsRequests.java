package dev.gantry.proxy.l7;

import dev.gantry.proxy.config.CorsPolicy;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

/**
 * A request to a route with a CORS policy: a preflight is answered by the proxy itself; any other request from an
 * allowed origin is marked so that its response gets the CORS headers.
 */
final class CorsRequests {

  private CorsRequests() {
  }

  /** Whether the request was a preflight, now answered; else notes on the exchange whether its origin is allowed. */
  static boolean preflightAnswered(ProxiedConnection conn, Exchange ex, HttpHeaders headers) {
    CorsPolicy cors = ex.route.cors();
    String origin = headers.get(HttpHeaderNames.ORIGIN);
    String allowed = origin != null && cors.allows(origin) ? origin : null;
    if (origin != null && HttpMethod.OPTIONS.equals(ex.method)
        && headers.contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
      conn.answers.preflight(allowed, headers);
      return true;
    }
    ex.corsOrigin = allowed;
    return false;
  }
}
