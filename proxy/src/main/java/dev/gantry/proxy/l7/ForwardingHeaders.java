package dev.gantry.proxy.l7;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.Locale;

/** Hop-by-hop stripping and the forwarding headers the proxy adds. */
final class ForwardingHeaders {

  static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
  static final AsciiString X_FORWARDED_PORT = AsciiString.cached("x-forwarded-port");
  static final AsciiString FORWARDED = AsciiString.cached("forwarded");
  static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

  /** Hop-by-hop headers (RFC 9110 7.6.1); Transfer-Encoding stays, it frames the message being relayed. */
  private static final AsciiString[] HOP_BY_HOP = {
      HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, PROXY_CONNECTION, HttpHeaderNames.TE,
      HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHORIZATION,
      HttpHeaderNames.PROXY_AUTHENTICATE};

  private ForwardingHeaders() {
  }

  /**
   * Removes hop-by-hop headers and those the Connection header names. With {@code keepUpgrade}, Upgrade
   * survives (the caller sets {@code Connection: upgrade} again).
   */
  static void stripHopByHop(HttpHeaders h, boolean keepUpgrade) {
    // Most messages carry no Connection header, or one of only keep-alive, close or upgrade: nothing to copy.
    if (ConnectionOptions.namesOtherFields(h)) {
      for (String value : h.getAll(HttpHeaderNames.CONNECTION)) {
        removeNamedIn(value, h, keepUpgrade);
      }
    }
    for (AsciiString name : HOP_BY_HOP) {
      if (!(keepUpgrade && name == HttpHeaderNames.UPGRADE)) {
        h.remove(name);
      }
    }
  }

  /** Removes the headers a Connection value names (RFC 9110 7.6.1), but never the framing ones. */
  private static void removeNamedIn(String connectionValue, HttpHeaders h, boolean keepUpgrade) {
    int start = 0;
    while (start <= connectionValue.length()) {
      int comma = connectionValue.indexOf(',', start);
      int end = comma < 0 ? connectionValue.length() : comma;
      String name = connectionValue.substring(start, end).trim().toLowerCase(Locale.ROOT);
      if (!name.isEmpty() && !name.equals("close") && !name.equals("keep-alive")
          && !(keepUpgrade && name.equals("upgrade")) && !name.equals("transfer-encoding")) {
        h.remove(name);
      }
      if (comma < 0) {
        break;
      }
      start = comma + 1;
    }
  }

  /** True when Connection lists {@code upgrade} and an Upgrade header is present. */
  static boolean isUpgrade(HttpHeaders h) {
    return h.contains(HttpHeaderNames.UPGRADE)
        && h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
  }

  /**
   * The values built for the previous request of a connection. A client connection keeps its address and
   * usually its Host, so the strings are built once per connection rather than once per request.
   */
  static final class Cache {
    private String host;
    private String scheme;
    private int port = -1;
    private String forwarded;
    private String portText;
    /** The forwarding fields as field lines, for a request with none of its own; made when first needed. */
    private byte[] lines;
  }

  /** Adds X-Forwarded-* and Forwarded, appending to what an earlier proxy sent. */
  static void addForwarded(HttpHeaders h, String clientIp, String host, String proto, int port, Cache cache) {
    remember(clientIp, host, proto, port, cache);
    String xff = h.get(X_FORWARDED_FOR);
    h.set(X_FORWARDED_FOR, xff == null ? clientIp : xff + ", " + clientIp);
    h.set(X_FORWARDED_PROTO, proto);
    if (host != null) {
      h.set(X_FORWARDED_HOST, host);
    }
    h.set(X_FORWARDED_PORT, cache.portText);
    String existing = h.get(FORWARDED);
    h.set(FORWARDED, existing == null ? cache.forwarded : existing + ", " + cache.forwarded);
  }

  /**
   * The field lines {@link #addForwarded} would add to a request that has none of these fields and a Host, in
   * the same order and bytes as the codec writes them: X-Forwarded-For, -Proto, -Host, -Port, then Forwarded.
   */
  static byte[] forwardedLines(String clientIp, String host, String proto, int port, Cache cache) {
    remember(clientIp, host, proto, port, cache);
    if (cache.lines == null) {
      String lines = X_FORWARDED_FOR + ": " + clientIp + "\r\n"
          + X_FORWARDED_PROTO + ": " + proto + "\r\n"
          + X_FORWARDED_HOST + ": " + host + "\r\n"
          + X_FORWARDED_PORT + ": " + cache.portText + "\r\n"
          + FORWARDED + ": " + cache.forwarded + "\r\n";
      cache.lines = latin1(lines);
    }
    return cache.lines;
  }

  /** The values for this request, kept from the previous one when its host, scheme and port were the same. */
  private static void remember(String clientIp, String host, String proto, int port, Cache cache) {
    if (cache.port != port || !proto.equals(cache.scheme) || !java.util.Objects.equals(host, cache.host)) {
      cache.host = host;
      cache.scheme = proto;
      cache.port = port;
      cache.portText = Integer.toString(port);
      cache.forwarded = forwardedElement(clientIp, host, proto);
      cache.lines = null;
    }
  }

  /** Each character as one byte, as the codec writes field values: one above U+00FF as {@code ?}. */
  private static byte[] latin1(String s) {
    byte[] b = new byte[s.length()];
    for (int i = 0; i < b.length; i++) {
      char c = s.charAt(i);
      b[i] = c > 0xff ? (byte) '?' : (byte) c;
    }
    return b;
  }

  /** One RFC 7239 element: {@code for=...;host=...;proto=...}, quoting where the syntax requires. */
  private static String forwardedElement(String clientIp, String host, String proto) {
    StringBuilder fwd = new StringBuilder(64);
    fwd.append("for=");
    if (clientIp.indexOf(':') >= 0) {
      fwd.append("\"[").append(clientIp).append("]\"");
    } else {
      fwd.append(clientIp);
    }
    if (host != null && !host.isEmpty()) {
      fwd.append(";host=");
      if (isToken(host)) {
        fwd.append(host);
      } else {
        fwd.append('"').append(host.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      }
    }
    return fwd.append(";proto=").append(proto).toString();
  }

  private static boolean isToken(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '-' || c == '_' || c == '~';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

}
