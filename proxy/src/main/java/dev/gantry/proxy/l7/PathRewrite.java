package dev.gantry.proxy.l7;

/**
 * Gateway API's path modifiers: ReplacePrefixMatch (the matched path prefix is replaced, the rest and the
 * query are kept) and ReplaceFullPath (the whole path is replaced, the query is kept).
 */
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

  /** Replaces the path of {@code uri} (up to '?' or '#') with {@code path}: {@code /a/b?c} gives {@code path?c}. */
  public static String replaceFullPath(String uri, String path) {
    int end = HostNames.pathEnd(uri);
    return end == uri.length() ? path : path + uri.substring(end);
  }

  /** {@code uri} with the path modifier of a rewrite or redirect applied; unchanged when both are null. */
  static String apply(String uri, int prefixLength, String fullPath, String pathPrefix) {
    if (fullPath != null) {
      return replaceFullPath(uri, fullPath);
    }
    return pathPrefix == null ? uri : replacePrefix(uri, prefixLength, pathPrefix);
  }
}
