package dev.gantry.proxy.l7;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/** Request-target forms (RFC 9112 3.2). */
final class RequestTargets {

  private RequestTargets() {
  }

  /**
   * Rewrites an absolute-form target ({@code http://host/path}) to origin form, taking Host from it as
   * servers must. Returns false for any other form this proxy does not serve.
   */
  static boolean toOriginForm(HttpRequest req) {
    String uri = req.uri();
    int schemeEnd;
    if (uri.regionMatches(true, 0, "http://", 0, 7)) {
      schemeEnd = 7;
    } else if (uri.regionMatches(true, 0, "https://", 0, 8)) {
      schemeEnd = 8;
    } else {
      return false;
    }
    int slash = uri.indexOf('/', schemeEnd);
    int query = uri.indexOf('?', schemeEnd);
    int end = slash < 0 ? (query < 0 ? uri.length() : query) : (query < 0 ? slash : Math.min(slash, query));
    String authority = uri.substring(schemeEnd, end);
    if (authority.isEmpty() || authority.indexOf('@') >= 0 || !visibleAscii(authority)) {
      return false;
    }
    String rest = uri.substring(end);
    req.setUri(rest.isEmpty() || rest.charAt(0) == '?' ? "/" + rest : rest);
    req.headers().set(HttpHeaderNames.HOST, authority);
    return true;
  }

  /** An authority is ASCII without spaces or controls; anything else could not even become a Host header. */
  private static boolean visibleAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }
}
