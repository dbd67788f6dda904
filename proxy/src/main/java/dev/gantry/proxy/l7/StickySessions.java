package dev.gantry.proxy.l7;

import dev.gantry.proxy.config.EndpointRuntime;
import dev.gantry.proxy.config.SessionAffinity;
import dev.gantry.proxy.config.SessionAffinity.Pin;
import dev.gantry.proxy.config.SessionTokens;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * Session persistence on the request path of a sticky route: a request whose token (cookie or header) names
 * an endpoint of the route that is still there and available, within the session's timeouts, goes to that
 * endpoint; the answer carries a new token when the request had none, an expired or unknown one, went
 * elsewhere, or is past half its idle timeout. A token that does not parse is ignored, never an error. The
 * token is forwarded to the backend unchanged. Only called for routes that have {@link SessionAffinity}.
 */
final class StickySessions {

  /** Issue times this far in the future are forged or from a clock gone wrong: such a token is ignored. */
  private static final long CLOCK_SKEW_SECONDS = 60;

  private StickySessions() {
  }

  /**
   * Reads the request's token: when it names a usable endpoint, the exchange goes to that endpoint's backend
   * and this returns true; else the route's weights are to choose.
   */
  static boolean resume(Exchange ex, HttpHeaders headers) {
    SessionAffinity s = ex.route.sessions();
    String token = s.cookie() ? cookie(headers.getAll(HttpHeaderNames.COOKIE), s.name()) : headers.get(s.headerName());
    if (token == null || !SessionTokens.wellFormed(token, 0, token.length())) {
      return false;
    }
    int second = SessionTokens.secondDot(token, 0, token.length());
    long issued = SessionTokens.base36(token, SessionTokens.KEY_LENGTH + 1, second);
    long refreshed = SessionTokens.base36(token, second + 1, token.length());
    long now = System.currentTimeMillis() / 1000;
    if (issued < 0 || refreshed < issued || refreshed > now + CLOCK_SKEW_SECONDS
        || (s.absoluteSeconds() > 0 && now - issued >= s.absoluteSeconds())
        || (s.idleSeconds() > 0 && now - refreshed >= s.idleSeconds())) {
      return false;
    }
    Pin pin = s.pin(token.substring(0, SessionTokens.KEY_LENGTH));
    if (pin == null || !pin.endpoint().state().available(System.nanoTime())) {
      return false;
    }
    ex.target = pin.target();
    ex.sessionPin = pin;
    ex.sessionIssued = issued;
    ex.sessionRefreshed = refreshed;
    return true;
  }

  /** The endpoint the session names when it has a free slot (which is then taken), else null. */
  static EndpointRuntime claim(Exchange ex) {
    Pin pin = ex.sessionPin;
    return pin != null && pin.target() == ex.target && pin.endpoint().state().tryOpen() ? pin.endpoint() : null;
  }

  /**
   * Adds the token to the answer when the client needs a new one (see the class comment); a cookie sent over
   * TLS is marked {@code Secure}.
   */
  static void stamp(HttpHeaders h, Exchange ex, boolean overTls) {
    SessionAffinity s = ex.route.sessions();
    Pin pin = ex.endpoint == null ? null : s.pinOf(ex.endpoint);
    if (pin == null) {
      return;
    }
    long now = System.currentTimeMillis() / 1000;
    long issued = now;
    if (pin == ex.sessionPin) {
      if (s.idleSeconds() == 0 || now - ex.sessionRefreshed < (s.idleSeconds() + 1) / 2) {
        return;
      }
      issued = ex.sessionIssued;
    }
    String token = SessionTokens.token(pin.key(), issued, now);
    if (!s.cookie()) {
      h.set(s.headerName(), token);
      return;
    }
    StringBuilder cookie = new StringBuilder(s.name()).append('=').append(token).append(s.cookieAttributes());
    if (s.permanent()) {
      cookie.append("; Max-Age=").append(Math.max(0, s.absoluteSeconds() - (now - issued)));
    }
    if (overTls) {
      cookie.append("; Secure");
    }
    h.add(HttpHeaderNames.SET_COOKIE, cookie.toString());
  }

  /** The value of cookie {@code name} in the request's Cookie headers, or null. */
  static String cookie(List<String> cookieHeaders, String name) {
    for (String header : cookieHeaders) {
      int i = 0;
      int n = header.length();
      while (i < n) {
        while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == '\t')) {
          i++;
        }
        int end = header.indexOf(';', i);
        end = end < 0 ? n : end;
        if (end - i > name.length() && header.charAt(i + name.length()) == '='
            && header.regionMatches(i, name, 0, name.length())) {
          int from = i + name.length() + 1;
          int to = end;
          while (to > from && header.charAt(to - 1) == ' ') {
            to--;
          }
          if (to - from >= 2 && header.charAt(from) == '"' && header.charAt(to - 1) == '"') {
            from++;
            to--;
          }
          return header.substring(from, to);
        }
        i = end + 1;
      }
    }
    return null;
  }
}
