package dev.gantry.proxy.config;

import java.nio.charset.StandardCharsets;

/**
 * A query parameter that must be present with exactly this value. The request's names and values are compared
 * percent-decoded, byte by byte against the UTF-8 of the condition, without allocating; {@code +} is a plus
 * (RFC 3986), not a space. When the name appears more than once, its first value counts.
 */
public final class QueryCondition {

  private final byte[] name;
  private final byte[] value;

  public QueryCondition(String name, String value) {
    this.name = name.getBytes(StandardCharsets.UTF_8);
    this.value = value.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether the query of {@code uri} (after the path, which ends at {@code pathEnd}) satisfies this condition. */
  public boolean matches(String uri, int pathEnd) {
    if (pathEnd >= uri.length() || uri.charAt(pathEnd) != '?') {
      return false;
    }
    int end = uri.indexOf('#', pathEnd);
    end = end < 0 ? uri.length() : end;
    int i = pathEnd + 1;
    while (i <= end) {
      int amp = uri.indexOf('&', i);
      amp = amp < 0 || amp > end ? end : amp;
      int eq = uri.indexOf('=', i);
      eq = eq < 0 || eq > amp ? amp : eq;
      if (decodedEquals(uri, i, eq, name)) {
        return decodedEquals(uri, eq < amp ? eq + 1 : amp, amp, value);
      }
      i = amp + 1;
    }
    return false;
  }

  /** Whether {@code s[from, to)}, percent-decoded, is exactly {@code expected}. A malformed escape is literal. */
  static boolean decodedEquals(String s, int from, int to, byte[] expected) {
    int j = 0;
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      int hi = c == '%' && i + 2 < to ? hex(s.charAt(i + 1)) : -1;
      int lo = hi >= 0 ? hex(s.charAt(i + 2)) : -1;
      int b;
      if (lo >= 0) {
        b = (hi << 4) | lo;
        i += 3;
      } else {
        b = c & 0xff;
        i++;
      }
      if (j >= expected.length || (expected[j] & 0xff) != b) {
        return false;
      }
      j++;
    }
    return j == expected.length;
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }
}
