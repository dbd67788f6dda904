package dev.gantry.proxy.l7;

/** Host header normalisation: case is ignored, and so are a {@code :port} suffix and a trailing dot. */
public final class HostNames {

  private HostNames() {
  }

  /** The host part of a Host header in lower case; "" when absent. Allocates only when it must change. */
  public static String normalize(String host) {
    if (host == null || host.isEmpty()) {
      return "";
    }
    int end = host.length();
    if (host.charAt(0) == '[') {
      int close = host.indexOf(']');
      end = close < 0 ? end : close + 1;
    } else {
      int colon = host.lastIndexOf(':');
      if (colon >= 0) {
        end = colon;
      }
    }
    if (end > 0 && host.charAt(end - 1) == '.') {
      end--;
    }
    boolean lower = true;
    for (int i = 0; i < end; i++) {
      char c = host.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        lower = false;
        break;
      }
    }
    String h = end == host.length() ? host : host.substring(0, end);
    return lower ? h : h.toLowerCase(java.util.Locale.ROOT);
  }

  /** Where the path of a request target ends: at '?', '#' or the end. */
  public static int pathEnd(String uri) {
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c == '?' || c == '#') {
        return i;
      }
    }
    return uri.length();
  }
}
