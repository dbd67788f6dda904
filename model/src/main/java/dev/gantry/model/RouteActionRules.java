package dev.gantry.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What a route does besides choosing backends: {@code rewrite} (changes to the forwarded request) and
 * {@code redirect} (the proxy answers with a redirect instead of forwarding, so what only applies to a
 * forwarded request is refused beside it).
 */
final class RouteActionRules {

  private static final String HOST_EXPECTED = "expected a host name such as shop.example.com (no wildcard or port), got ";

  private RouteActionRules() {
  }

  static void rewrite(String path, Route r, Problems problems) {
    Rewrite w = r.rewrite();
    if (w.pathPrefix() == null && w.path() == null && w.host() == null) {
      problems.add(path, "expected at least one of pathPrefix, path and host");
      return;
    }
    paths(path, w.path(), w.pathPrefix(), r, problems);
    host(path + ".host", w.host(), problems);
  }

  static void redirect(String path, Route r, Problems problems) {
    Redirect d = r.redirect();
    if (d.scheme() != null && !Redirect.SCHEMES.contains(d.scheme())) {
      problems.add(path + ".scheme", "expected http or https, got " + Problems.quote(d.scheme()));
    }
    host(path + ".host", d.host(), problems);
    problems.range(path + ".port", d.port(), 1, 65535, "a port");
    paths(path, d.path(), d.pathPrefix(), r, problems);
    if (d.status() != null && !Redirect.STATUSES.contains(d.status())) {
      problems.add(path + ".status", "expected one of 301, 302, 303, 307, 308, got " + d.status());
    }
  }

  /** The fields of a route that only apply to a request that is forwarded, which a redirect never is. */
  static List<String> forwardingFields(Route r) {
    List<String> fields = new ArrayList<>();
    if (r.backends() != null) {
      fields.add("backends");
    }
    if (r.rewrite() != null) {
      fields.add("rewrite");
    }
    if (r.requestHeaders() != null) {
      fields.add("requestHeaders");
    }
    if (r.timeout() != null) {
      fields.add("timeout");
    }
    if (r.retries() != null) {
      fields.add("retries");
    }
    if (r.mirrors() != null) {
      fields.add("mirrors");
    }
    if (r.sessionPersistence() != null) {
      fields.add("sessionPersistence");
    }
    return fields;
  }

  /** A whole path or a prefix; a prefix replaces the matched prefix, so every path of the route must be one. */
  private static void paths(String path, String full, String prefix, Route r, Problems problems) {
    if (full != null && prefix != null) {
      problems.add(path, "set either path or pathPrefix, not both");
    }
    if (full != null) {
      RouteMatchRules.plainPath(path + ".path", full, problems);
    }
    if (prefix == null) {
      return;
    }
    RouteMatchRules.plainPath(path + ".pathPrefix", prefix, problems);
    List<PathMatch> paths = r.pathsOrEmpty();
    for (int i = 0; i < paths.size(); i++) {
      PathMatch m = paths.get(i);
      if (m != null && m.typeOrDefault() != PathType.Prefix) {
        problems.add(path + ".pathPrefix", "needs every path to be a Prefix, paths[" + i + "] is " + m.typeOrDefault());
        return;
      }
    }
  }

  private static void host(String path, String host, Problems problems) {
    if (host != null && !Names.isHostname(host)) {
      problems.add(path, HOST_EXPECTED + Problems.quote(host));
    }
  }
}
