package dev.gantry.model;

import java.util.Locale;
import java.util.regex.Pattern;

/** The syntax of names and addresses the API accepts: pure predicates, no lookups. */
final class Names {

  private static final Pattern URI = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*:[^\\s]+");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  /** RFC 7230 token: the characters a header name may use. */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  /** Kubernetes IANA_SVC_NAME: a named Service port. */
  private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");

  private Names() {
  }

  static boolean isDnsLabel(String s) {
    return s.length() <= 63 && DNS_LABEL.matcher(s).matches();
  }

  static boolean isDnsSubdomain(String s) {
    return s.length() <= 253 && DNS_SUBDOMAIN.matcher(s).matches();
  }

  /** A DNS host name in any case: labels of letters, digits and inner '-', each at most 63 characters. */
  static boolean isHostname(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    if (!isDnsSubdomain(lower)) {
      return false;
    }
    for (String label : lower.split("\\.")) {
      if (label.length() > 63) {
        return false;
      }
    }
    return true;
  }

  /**
   * A certificate name: a host name, or {@code *.} followed by a host name of at least two labels (a
   * certificate's wildcard never covers a whole top-level domain).
   */
  static boolean isHostPattern(String s) {
    if (s.startsWith("*.")) {
      String rest = s.substring(2);
      return rest.contains(".") && isHostname(rest);
    }
    return isHostname(s);
  }

  /**
   * A route host: a host name, or {@code *.} followed by a host name. Unlike a certificate name, a route's
   * wildcard may cover a whole top-level domain ({@code *.com}), as Gateway API and Ingress hostnames may.
   */
  static boolean isRouteHost(String s) {
    return isHostname(s.startsWith("*.") ? s.substring(2) : s);
  }

  static boolean isHeaderName(String s) {
    return TOKEN.matcher(s).matches();
  }

  /** IANA_SVC_NAME: at most 15 characters, at least one letter, no "--". */
  static boolean isPortName(String s) {
    return s.length() <= 15 && PORT_NAME.matcher(s).matches() && !s.contains("--")
        && s.chars().anyMatch(Character::isLetter);
  }

  static boolean isIpv4(String s) {
    return IPV4.matcher(s).matches();
  }

  /** An IPv6 literal without brackets or zone, such as {@code fd00::12} or {@code ::ffff:10.0.0.1}. */
  static boolean isIpv6(String s) {
    int lastColon = s.lastIndexOf(':');
    if (lastColon < 0) {
      return false;
    }
    String hex = s;
    int ipv4Groups = 0;
    if (s.indexOf('.') >= 0) {
      // a trailing dotted IPv4 address stands for the last two groups
      if (s.indexOf('.') < lastColon || !isIpv4(s.substring(lastColon + 1))) {
        return false;
      }
      hex = s.startsWith("::", lastColon - 1) ? s.substring(0, lastColon + 1) : s.substring(0, lastColon);
      ipv4Groups = 2;
    }
    int gap = hex.indexOf("::");
    if (gap < 0) {
      return hexGroups(hex) + ipv4Groups == 8;
    }
    if (gap != hex.lastIndexOf("::")) {
      return false;
    }
    int head = gap == 0 ? 0 : hexGroups(hex.substring(0, gap));
    int tail = gap + 2 == hex.length() ? 0 : hexGroups(hex.substring(gap + 2));
    return head >= 0 && tail >= 0 && head + tail + ipv4Groups <= 7;
  }

  /** The number of ':'-separated hex groups, or -100 when one is malformed (so no sum can reach 8). */
  private static int hexGroups(String s) {
    String[] parts = s.split(":", -1);
    for (String part : parts) {
      if (!HEX_GROUP.matcher(part).matches()) {
        return -100;
      }
    }
    return parts.length;
  }

  /** An absolute URI, {@code scheme:rest} (a SPIFFE ID, for one), that is not an IPv6 literal. */
  static boolean isUri(String s) {
    return URI.matcher(s).matches() && !isIpv6(s);
  }

  /** An endpoint address: an IP literal, or a host name that is not made of digits and dots only. */
  static boolean isAddress(String s) {
    if (isIpv4(s) || isIpv6(s)) {
      return true;
    }
    return !s.matches("[0-9.]+") && isHostname(s);
  }

  /** Levenshtein distance, to suggest the field a typo meant. */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
