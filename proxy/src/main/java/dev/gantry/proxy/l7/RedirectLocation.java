package dev.gantry.proxy.l7;

import dev.gantry.proxy.config.ListenerRuntime;
import dev.gantry.proxy.config.RouteRedirect;

/**
 * The {@code Location} of a route's redirect, as Gateway API's RequestRedirect specifies it: the scheme is the
 * redirect's or the listener's; the host the redirect's or the request's; the port the redirect's, else the
 * well-known port of the redirect's scheme when it sets one, else the listener's port; a port that is the
 * default of the Location's scheme is left out. The path is the request's with the redirect's path modifier
 * applied, the query is kept. Pure.
 */
final class RedirectLocation {

  private RedirectLocation() {
  }

  /**
   * @param hostHeader the request's Host header (null when absent: the Location is then the path alone, unless
   *     the redirect names a host)
   * @param uri the request target in origin form
   * @param prefixLength the length of the path prefix the route matched
   */
  static String of(RouteRedirect r, ListenerRuntime listener, String hostHeader, String uri, int prefixLength) {
    // "OPTIONS *" names no resource: it is sent to the root
    String path = uri.startsWith("/") ? PathRewrite.apply(uri, prefixLength, r.path(), r.pathPrefix()) : "/";
    String host = r.host() != null ? r.host() : HostNames.normalize(hostHeader);
    if (host.isEmpty()) {
      return path;
    }
    String scheme = r.scheme() != null ? r.scheme() : listener.scheme();
    int port = r.port() > 0 ? r.port() : r.scheme() != null ? defaultPort(r.scheme()) : listener.port();
    StringBuilder sb = new StringBuilder(scheme.length() + host.length() + path.length() + 10);
    sb.append(scheme).append("://").append(host);
    if (port != defaultPort(scheme)) {
      sb.append(':').append(port);
    }
    return sb.append(path).toString();
  }

  private static int defaultPort(String scheme) {
    return scheme.equals("https") ? 443 : 80;
  }
}
