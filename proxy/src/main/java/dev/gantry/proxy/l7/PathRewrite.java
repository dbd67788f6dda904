package dev.gantry.proxy.l7;

/** Gateway API's ReplacePrefixMatch: the matched path prefix is replaced, the rest and the query are kept. */
public final class PathRewrite {

  private PathRewrite() {
  }

  /**
   * Replaces the first {@code prefixLength} characters of {@code uri}'s path with {@code replacement}, so
   * {@code /community/x?y} with prefix {@code /community} and replacement {@code /} gives {@code /x?y}, and
   * with replacement {@code /forum} gives {@code /forum/x?y}.
   */
  public static String replacePrefix(String uri, int prefixLength, String replacement) {
    String rest = uri.substring(Math.min(prefixLength, uri.length()));
    if (rest.isEmpty() || rest.charAt(0) == '?' || rest.charAt(0) == '#') {
      return replacement + rest;
    }
    // rest starts with '/': join without doubling or losing the slash.
    if (replacement.endsWith("/")) {
      return replacement + rest.substring(1);
    }
    return replacement + rest;
  }
}
