package dev.gantry.proxy.l7;

import dev.gantry.proxy.http1.RejectedHead;
import dev.gantry.proxy.http1.VerbatimRequest;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.Iterator;

/**
 * The rules of RFC 9112 and RFC 9110 a decoded HTTP/1.x request head must meet before it is routed: the
 * target's form, the Host header, the framing headers the decoder let through, Expect and Connection. The
 * raw syntax was checked before decoding (see {@code HeadSyntax}); the table of every case, with the RFC
 * section and the answer, is docs/http1-strictness.md.
 */
final class RequestValidator {

  private RequestValidator() {
  }

  /** The status a request refused by the decoder gets: 414, 431, 505 or, for anything else, 400. */
  static HttpResponseStatus statusOfMalformed(Throwable cause) {
    if (cause instanceof RejectedHead r) {
      return HttpResponseStatus.valueOf(r.status());
    }
    if (cause instanceof TooLongHttpLineException) {
      return HttpResponseStatus.REQUEST_URI_TOO_LONG;
    }
    if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
      return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
    }
    return HttpResponseStatus.BAD_REQUEST;
  }

  /**
   * Null when the request may be proxied, else the status to refuse it with (the connection is closed after).
   * HTTP/2 streams are left to their codec, which validated the frames they came in.
   */
  static HttpResponseStatus check(HttpRequest req) {
    HttpVersion version = req.protocolVersion();
    if (version.majorVersion() != 1) {
      return null;
    }
    HttpMethod method = req.method();
    if (method == HttpMethod.CONNECT) {
      // Authority-form targets are for tunnels through a forward proxy, which this is not.
      return HttpResponseStatus.NOT_IMPLEMENTED;
    }
    if (method == HttpMethod.TRACE) {
      // It would echo the forwarding headers and credentials back; nginx refuses it the same way.
      return HttpResponseStatus.METHOD_NOT_ALLOWED;
    }
    String uri = req.uri();
    VerbatimRequest verbatim = VerbatimRequest.untouched(req);
    if (verbatim != null && uri.charAt(0) == '/') {
      // HTTP/1.1 with one Host and none of the fields checked below (see VerbatimRequest).
      return isAuthority(verbatim.host()) ? null : HttpResponseStatus.BAD_REQUEST;
    }
    HttpHeaders h = req.headers();
    String authority = null;
    if (uri.equals("*")) {
      // Asterisk-form asks about the server, not a resource: nothing a route could match. nginx refuses it too.
      return HttpResponseStatus.BAD_REQUEST;
    } else if (uri.charAt(0) != '/') {
      authority = absoluteFormAuthority(uri);
      if (authority == null || !isAuthority(authority)) {
        return HttpResponseStatus.BAD_REQUEST;
      }
    }
    String host = h.get(HttpHeaderNames.HOST);
    if (host == null ? version.minorVersion() == 1 : isRepeated(h, HttpHeaderNames.HOST)) {
      return HttpResponseStatus.BAD_REQUEST;
    }
    if (host != null && (!isAuthority(host) || (authority != null && !authority.equalsIgnoreCase(host)))) {
      return HttpResponseStatus.BAD_REQUEST;
    }
    if (version.minorVersion() == 0 && ForwardingHeaders.isUpgrade(h)) {
      // RFC 9110 7.8 has a server ignore it; HAProxy refuses it, and so does Gantry.
      return HttpResponseStatus.BAD_REQUEST;
    }
    String te = h.get(HttpHeaderNames.TRANSFER_ENCODING);
    if (te != null && !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(te)) {
      // The decoder refused with 400 what RFC 9112 6.3 says must be (chunked not last, twice, in HTTP/1.0,
      // with Content-Length); what is left is a coding before chunked, which this proxy does not speak.
      return HttpResponseStatus.NOT_IMPLEMENTED;
    }
    String expect = h.get(HttpHeaderNames.EXPECT);
    if (expect != null && version.minorVersion() == 1
        && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect)) {
      return HttpResponseStatus.EXPECTATION_FAILED;
    }
    if (ConnectionOptions.namesFramingHeader(h)) {
      return HttpResponseStatus.BAD_REQUEST;
    }
    return null;
  }

  /** The authority of an {@code http://} or {@code https://} target; null for any other scheme or form. */
  static String absoluteFormAuthority(String uri) {
    int schemeEnd;
    if (uri.regionMatches(true, 0, "http://", 0, 7)) {
      schemeEnd = 7;
    } else if (uri.regionMatches(true, 0, "https://", 0, 8)) {
      schemeEnd = 8;
    } else {
      return null;
    }
    int end = schemeEnd;
    while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?') {
      end++;
    }
    return uri.substring(schemeEnd, end);
  }

  /**
   * RFC 9110 7.2 {@code uri-host [":" port]}: a bracketed IPv6 literal, or a non-empty reg-name (which covers
   * IPv4 addresses), then optionally a colon and digits. No user info, no whitespace, no path.
   */
  static boolean isAuthority(String s) {
    int i = 0;
    int n = s.length();
    if (n > 0 && s.charAt(0) == '[') {
      int close = s.indexOf(']');
      if (close < 2) {
        return false;
      }
      for (i = 1; i < close; i++) {
        char c = s.charAt(i);
        if (!(isHex(c) || c == ':' || c == '.')) {
          return false;
        }
      }
      i = close + 1;
    } else {
      while (i < n && s.charAt(i) != ':') {
        char c = s.charAt(i);
        if (c == '%') {
          if (i + 2 >= n || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
            return false;
          }
          i += 2;
        } else if (!isRegNameChar(c)) {
          return false;
        }
        i++;
      }
      if (i == 0) {
        return false;
      }
    }
    if (i == n) {
      return true;
    }
    if (s.charAt(i) != ':') {
      return false;
    }
    for (i++; i < n; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** Whether the field {@code name}, known to be present, appears more than once. */
  private static boolean isRepeated(HttpHeaders h, CharSequence name) {
    Iterator<? extends CharSequence> values = h.valueCharSequenceIterator(name);
    values.next();
    return values.hasNext();
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** RFC 3986 unreserved and sub-delims. */
  private static boolean isRegNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "-._~!$&'()*+,;=".indexOf(c) >= 0;
  }
}
