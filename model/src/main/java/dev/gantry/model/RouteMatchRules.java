package dev.gantry.model;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The match conditions of a route: hosts, paths, query parameters and methods. */
final class RouteMatchRules {

  static final int MAX_REGEX_LENGTH = 1024;
  static final int MAX_QUERY_PARAMS = 16;
  static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
  private static final Set<String> METHOD_SET = Set.copyOf(METHODS);
  private static final String HOST_EXAMPLE = "expected a host name such as shop.example.com or *.example.com, got ";

  private RouteMatchRules() {
  }

  /** Hosts ignore case, so "Shop.example.com" is accepted and is a duplicate of "shop.example.com". */
  static void hosts(String path, List<String> hosts, Problems problems) {
    for (int i = 0; i < hosts.size(); i++) {
      String at = FieldPath.index(path, i);
      String host = hosts.get(i);
      if (problems.entry(at, host, "a host name")) {
        host(at, host, problems);
      }
    }
    problems.unique(path, hosts, s -> s, "", "host", s -> s.toLowerCase(Locale.ROOT));
  }

  private static void host(String path, String host, Problems problems) {
    if (host.equals("*")) {
      problems.add(path, "\"*\" alone is not allowed: leave hosts empty to match any host");
    } else if (host.indexOf(':') > 0 && Names.isRouteHost(host.substring(0, host.indexOf(':')))) {
      problems.add(path, "expected a host name without a port (the port is ignored when matching), got "
          + Problems.quote(host));
    } else if (!Names.isRouteHost(host)) {
      problems.add(path, HOST_EXAMPLE + Problems.quote(host));
    }
  }

  static void paths(String path, List<PathMatch> paths, Problems problems) {
    for (int i = 0; i < paths.size(); i++) {
      String at = FieldPath.index(path, i);
      PathMatch m = paths.get(i);
      if (!problems.entry(at, m, "a path") || !problems.required(at + ".value", m.value())) {
        continue;
      }
      if (m.typeOrDefault() == PathType.Regex) {
        regex(at + ".value", m.value(), problems);
      } else {
        plainPath(at + ".value", m.value(), problems);
      }
    }
    problems.unique(path, paths, m -> m.typeOrDefault() + " " + m.value(), "", "path");
  }

  /** An Exact or Prefix path, or a rewritten prefix: starts with '/' and holds no query, fragment or space. */
  static void plainPath(String path, String value, Problems problems) {
    if (!value.startsWith("/")) {
      problems.add(path, "expected a path starting with \"/\", got " + Problems.quote(value));
    } else if (value.chars().anyMatch(c -> Character.isWhitespace(c) || c == '?' || c == '#')) {
      problems.add(path, "expected a path without whitespace, '?' or '#', got " + Problems.quote(value));
    }
  }

  private static void regex(String path, String value, Problems problems) {
    if (value.length() > MAX_REGEX_LENGTH) {
      problems.add(path, "expected a regex of at most " + MAX_REGEX_LENGTH + " characters, got " + value.length());
      return;
    }
    try {
      Pattern.compile(value);
    } catch (PatternSyntaxException e) {
      String description = e.getDescription();
      String reason = description.isEmpty() ? description
          : Character.toLowerCase(description.charAt(0)) + description.substring(1);
      problems.add(path, "invalid regex " + Problems.quote(value) + ": " + reason
          + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
    }
  }

  /** Query parameter names are case-sensitive: "Animal" and "animal" are two parameters. */
  static void queryParams(String path, List<QueryParamMatch> params, Problems problems) {
    problems.atMost(path, params, MAX_QUERY_PARAMS, "query parameter");
    for (int i = 0; i < params.size(); i++) {
      String at = FieldPath.index(path, i);
      QueryParamMatch q = params.get(i);
      if (!problems.entry(at, q, "a query parameter match")) {
        continue;
      }
      if (problems.required(at + ".name", q.name()) && (q.name().isEmpty() || !printable(q.name()))) {
        problems.add(at + ".name", "expected a parameter name of printable characters, got " + Problems.quote(q.name()));
      }
      if (problems.required(at + ".value", q.value()) && !printable(q.value())) {
        problems.add(at + ".value", "expected a value without control characters, got " + Problems.quote(q.value()));
      }
    }
    problems.unique(path, params, QueryParamMatch::name, "name", "query parameter");
  }

  private static boolean printable(String s) {
    return s.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
  }

  /** Methods are case-sensitive, as in HTTP: "get" is a different (unknown) method. */
  static void methods(String path, List<String> methods, Problems problems) {
    for (int i = 0; i < methods.size(); i++) {
      String method = methods.get(i);
      if (method == null || !METHOD_SET.contains(method)) {
        problems.add(FieldPath.index(path, i), "expected one of " + String.join(", ", METHODS) + ", got "
            + Problems.quote(method));
      }
    }
    problems.unique(path, methods, s -> s, "", "method");
  }
}
