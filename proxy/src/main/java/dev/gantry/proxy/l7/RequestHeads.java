package dev.gantry.proxy.l7;

import dev.gantry.proxy.config.ListenerRuntime;
import dev.gantry.proxy.config.RouteRewrite;
import dev.gantry.proxy.config.RouteRuntime;
import dev.gantry.proxy.http1.VerbatimRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/** Turns a client's request head into the one the backend gets. The counterpart of {@link ResponseHeads}. */
final class RequestHeads {

  /** What the head said that the exchange must act on. */
  record Asked(boolean upgrade, boolean expectContinue) {
  }

  /** A head that asks nothing of the exchange. */
  private static final Asked PLAIN = new Asked(false, false);

  private RequestHeads() {
  }

  /**
   * Strips hop-by-hop headers (keeping an upgrade's), takes {@code Expect: 100-continue} over (the proxy
   * answers 100 itself once a backend is connected), adds the forwarding headers (a client's
   * X-Forwarded-Client-Cert replaced by the proxy's, or removed), applies the route's
   * header edits and its rewrite of path and host, and speaks HTTP/1.1 to the backend.
   */
  static Asked prepare(HttpRequest req, RouteRuntime route, RouteMatch match, String originalUri,
      ListenerRuntime listener, String clientIp, String hostHeader, ForwardingHeaders.Cache forwarded,
      ClientIdentity client) {
    VerbatimRequest verbatim = VerbatimRequest.untouched(req);
    if (verbatim != null && client.forwardedClientCert() == null && (route == null || keepsFields(route))) {
      // Nothing to strip, take over or replace (see VerbatimRequest): the forwarding fields follow the others.
      verbatim.append(ForwardingHeaders.forwardedLines(clientIp, verbatim.host(), listener.scheme(), listener.port(),
          forwarded));
      if (route != null && route.rewrite() != null) {
        RouteRewrite w = route.rewrite();
        req.setUri(PathRewrite.apply(originalUri, match.prefixLength(), w.path(), w.pathPrefix()));
      }
      return PLAIN;
    }
    HttpHeaders h = req.headers();
    // RFC 9110 10.1.1: an HTTP/1.0 request's 100-continue expectation is ignored.
    boolean http10 = req.protocolVersion().equals(HttpVersion.HTTP_1_0);
    // An h2c upgrade not taken here is the client's hop to this proxy: HTTP/2 is never tunnelled to a backend.
    boolean upgrade = ForwardingHeaders.isUpgrade(h) && !H2cUpgrade.dropH2cUpgrade(h);
    boolean expectContinue = !http10 && h.containsValue(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE, true);
    h.remove(HttpHeaderNames.EXPECT);
    ForwardingHeaders.stripHopByHop(h, upgrade);
    if (upgrade) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    }
    ForwardingHeaders.addForwarded(h, clientIp, hostHeader, listener.scheme(), listener.port(), forwarded);
    ForwardedClientCert.apply(h, client);
    if (route != null) {
      route.requestEdits().applyTo(h);
      RouteRewrite w = route.rewrite();
      if (w != null) {
        req.setUri(PathRewrite.apply(originalUri, match.prefixLength(), w.path(), w.pathPrefix()));
        if (w.host() != null) {
          h.set(HttpHeaderNames.HOST, w.host());
        }
      }
    }
    req.setProtocolVersion(HttpVersion.HTTP_1_1);
    return new Asked(upgrade, expectContinue);
  }

  /** Whether the route leaves the fields of a request as they are: no header edits, no new Host. */
  private static boolean keepsFields(RouteRuntime route) {
    return route.requestEdits().isEmpty() && (route.rewrite() == null || route.rewrite().host() == null);
  }
}
