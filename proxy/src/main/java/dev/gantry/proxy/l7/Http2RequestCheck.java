package dev.gantry.proxy.l7;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

/**
 * The parts of an HTTP/2 request head that an HTTP/1.1 backend could read differently from the proxy, checked
 * before the head is translated (RFC 9113 §8.3.1): a method that is not a token, a {@code :path} that is not an
 * origin-form path of visible ASCII (or {@code *} for OPTIONS), an {@code :authority} with whitespace, control
 * characters or userinfo, and a Host field that names another authority. Field names and the control characters
 * of field values are the codec's own checks.
 */
final class Http2RequestCheck {

  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

  private Http2RequestCheck() {
  }

  /** What is wrong with the request head, or null when it may be translated. */
  static String problem(Http2Headers h) {
    CharSequence method = h.method();
    if (method != null && !isToken(method)) {
      return ":method is not a token";
    }
    CharSequence path = h.path();
    if (path != null) {
      boolean asterisk = "*".contentEquals(path) && "OPTIONS".contentEquals(method);
      if (!asterisk && (path.length() == 0 || path.charAt(0) != '/')) {
        return ":path does not start with /";
      }
      if (!isVisibleAscii(path)) {
        return ":path holds a character other than visible ASCII";
      }
    }
    CharSequence authority = h.authority();
    if (authority != null) {
      if (authority.length() == 0 || !isVisibleAscii(authority) || AsciiString.indexOf(authority, '@', 0) >= 0) {
        return ":authority is empty or holds whitespace, a control character or userinfo";
      }
      CharSequence host = h.get(HttpHeaderNames.HOST);
      if (host != null && !AsciiString.contentEqualsIgnoreCase(host, authority)) {
        return "Host names another authority than :authority";
      }
    }
    return null;
  }

  private static boolean isToken(CharSequence s) {
    if (s.length() == 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || TOKEN_SYMBOLS.indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean isVisibleAscii(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }
}
