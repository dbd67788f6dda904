package dev.gantry.operator.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Hostnames as Gateway API matches them: a leading {@code *.} stands for one or more labels. Pure. */
final class Hostnames {

  private Hostnames() {
  }

  /**
   * The hostnames a route serves on a listener: its own, narrowed to the listener's. An empty list means any
   * host; null means none in common (the route does not attach there).
   */
  static List<String> intersect(String listener, List<String> route) {
    if (listener == null || listener.isEmpty()) {
      return route.stream().map(Hostnames::lower).toList();
    }
    String l = lower(listener);
    if (route.isEmpty()) {
      return List.of(l);
    }
    List<String> out = new ArrayList<>();
    for (String r : route) {
      String h = lower(r);
      String common = common(l, h);
      if (common != null && !out.contains(common)) {
        out.add(common);
      }
    }
    return out.isEmpty() ? null : out;
  }

  /** The more specific of two hostnames when one covers the other, else null. */
  static String common(String a, String b) {
    if (a.equals(b)) {
      return a;
    }
    if (covers(a, b)) {
      return b;
    }
    if (covers(b, a)) {
      return a;
    }
    return null;
  }

  /** Whether wildcard {@code pattern} covers {@code host} (itself a name or a narrower wildcard). */
  static boolean covers(String pattern, String host) {
    if (!pattern.startsWith("*.")) {
      return false;
    }
    String suffix = pattern.substring(1);
    String h = host.startsWith("*.") ? host.substring(1) : host;
    return h.endsWith(suffix) && h.length() > suffix.length();
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
