package dev.gantry.model;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** The checks of a route's {@code cors}. */
final class CorsRules {

  static final int MAX_ENTRIES = 64;
  static final int MAX_AGE = 86_400;
  /** {@code scheme://host[:port]}, the host a name or address whose first label may be {@code *}. */
  private static final Pattern ORIGIN = Pattern.compile(
      "[A-Za-z][A-Za-z0-9+.-]*://(\\*|\\*\\.[A-Za-z0-9.-]+|[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?");

  private CorsRules() {
  }

  static void cors(String path, Cors cors, Problems problems) {
    if (cors == null) {
      return;
    }
    entries(path + ".allowOrigins", cors.allowOriginsOrEmpty(), o -> o.equals("*") || ORIGIN.matcher(o).matches(),
        "an origin such as https://example.com, https://*.example.com or *", problems);
    entries(path + ".allowMethods", cors.allowMethodsOrEmpty(), Names::isHeaderName, "a method such as GET or *",
        problems);
    entries(path + ".allowHeaders", cors.allowHeadersOrEmpty(), Names::isHeaderName,
        "a header name such as X-Canary or *", problems);
    entries(path + ".exposeHeaders", cors.exposeHeadersOrEmpty(), Names::isHeaderName,
        "a header name such as X-Canary or *", problems);
    wildcardAlone(path + ".allowMethods", cors.allowMethodsOrEmpty(), problems);
    wildcardAlone(path + ".allowHeaders", cors.allowHeadersOrEmpty(), problems);
    problems.range(path + ".maxAge", cors.maxAge(), 0, MAX_AGE, "seconds");
  }

  private static void entries(String path, List<String> values, Predicate<String> valid, String expected,
      Problems problems) {
    problems.atMost(path, values, MAX_ENTRIES, "value");
    for (int i = 0; i < values.size(); i++) {
      String at = FieldPath.index(path, i);
      String v = values.get(i);
      if (problems.entry(at, v, "a value") && !valid.test(v)) {
        problems.add(at, "expected " + expected + ", got " + Problems.quote(v));
      }
    }
    problems.unique(path, values, s -> s, "", "entry", s -> s.toLowerCase(java.util.Locale.ROOT));
  }

  /** {@code *} means whatever the preflight asks for: beside names it would make them meaningless. */
  private static void wildcardAlone(String path, List<String> values, Problems problems) {
    if (values.size() > 1 && values.contains("*")) {
      problems.add(path, "\"*\" allows any, so it must be the only entry");
    }
  }
}
