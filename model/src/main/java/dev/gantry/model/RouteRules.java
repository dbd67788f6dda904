package dev.gantry.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules of {@code spec.routes}: which listeners a route attaches to, its backends and what it changes on
 * the way. Match conditions are checked by {@link RouteMatchRules}, headers by {@link HeaderRules}, rewrites
 * and redirects by {@link RouteActionRules}.
 */
final class RouteRules {

  static final int MAX_BACKENDS = 16;
  static final int MAX_WEIGHT = 1_000_000;
  static final int MAX_RETRIES = 10;

  private RouteRules() {
  }

  static void check(List<Route> routes, SpecIndex index, Problems problems) {
    List<Route> all = routes == null ? List.of() : routes;
    problems.unique("spec.routes", all, Route::name, "name", "name");
    for (int i = 0; i < all.size(); i++) {
      String path = FieldPath.index("spec.routes", i);
      if (problems.entry(path, all.get(i), "a route")) {
        route(path, all.get(i), index, problems);
      }
    }
  }

  private static void route(String path, Route r, SpecIndex index, Problems problems) {
    problems.label(path + ".name", r.name());
    listeners(path, r, index, problems);
    RouteMatchRules.hosts(path + ".hosts", r.hostsOrEmpty(), problems);
    RouteMatchRules.paths(path + ".paths", r.pathsOrEmpty(), problems);
    RouteMatchRules.methods(path + ".methods", r.methodsOrEmpty(), problems);
    HeaderRules.matches(path + ".headers", r.headersOrEmpty(), problems);
    RouteMatchRules.queryParams(path + ".queryParams", r.queryParamsOrEmpty(), problems);
    if (r.redirect() != null) {
      RouteActionRules.redirect(path + ".redirect", r, problems);
      for (String field : RouteActionRules.forwardingFields(r)) {
        problems.add(path + "." + field, "not allowed with redirect: the proxy answers the request itself");
      }
    } else {
      backends(path + ".backends", r.backendsOrEmpty(), index, problems);
      MirrorRules.mirrors(path + ".mirrors", r.mirrorsOrEmpty(), index, problems);
    }
    if (r.rewrite() != null) {
      RouteActionRules.rewrite(path + ".rewrite", r, problems);
    }
    HeaderRules.modifier(path + ".requestHeaders", r.requestHeaders(), true, problems);
    HeaderRules.modifier(path + ".responseHeaders", r.responseHeaders(), false, problems);
    CorsRules.cors(path + ".cors", r.cors(), problems);
    SessionPersistenceRules.sessionPersistence(path + ".sessionPersistence", r.sessionPersistence(), problems);
    // 0s: no limit, for streams meant to stay open (see the proxy's long-lived stream rule).
    problems.durationOrZero(path + ".timeout", r.timeout());
    problems.range(path + ".retries", r.retries(), 0, MAX_RETRIES, "a count");
  }

  /**
   * Named listeners must exist and take the route; with none named, the route attaches to every listener
   * it fits, and there must be one.
   */
  private static void listeners(String path, Route r, SpecIndex index, Problems problems) {
    List<String> names = r.listenersOrEmpty();
    for (int i = 0; i < names.size(); i++) {
      String at = FieldPath.index(path + ".listeners", i);
      String name = names.get(i);
      Listener l = name == null ? null : index.listener(name);
      if (!problems.entry(at, name, "a listener name")) {
        continue;
      }
      if (l == null) {
        problems.add(at, "no listener named " + Problems.quote(name));
      } else if (l.protocol() == Protocol.TCP) {
        problems.add(at, "listener " + Problems.quote(name) + " is TCP, which takes no routes");
      } else if (l.protocol() == Protocol.TLS && r.needsHttp()) {
        problems.add(at, "listener " + Problems.quote(name) + " is TLS passthrough, which routes by host only; "
            + "this route also uses " + String.join(", ", httpOnlyFields(r)));
      }
    }
    problems.unique(path + ".listeners", names, s -> s, "", "listener");
    if (names.isEmpty() && !index.listeners().isEmpty()
        && index.listeners().values().stream().noneMatch(l -> fits(l, r))) {
      problems.add(path, "matches no listener: needs an HTTP or HTTPS listener"
          + (r.needsHttp() ? "" : ", or a TLS one"));
    }
  }

  /** A listener with an unreadable protocol fits anything, so that its own problem is the only one shown. */
  private static boolean fits(Listener l, Route r) {
    return l.protocol() == null || l.protocol().isHttp() || (l.protocol() == Protocol.TLS && !r.needsHttp());
  }

  /** The fields that make {@link Route#needsHttp()} true, named as in the API. */
  static List<String> httpOnlyFields(Route r) {
    List<String> fields = new ArrayList<>();
    if (!r.pathsOrEmpty().isEmpty()) {
      fields.add("paths");
    }
    if (!r.headersOrEmpty().isEmpty()) {
      fields.add("headers");
    }
    if (!r.queryParamsOrEmpty().isEmpty()) {
      fields.add("queryParams");
    }
    if (!r.methodsOrEmpty().isEmpty()) {
      fields.add("methods");
    }
    if (r.rewrite() != null) {
      fields.add("rewrite");
    }
    if (r.redirect() != null) {
      fields.add("redirect");
    }
    if (r.requestHeaders() != null) {
      fields.add("requestHeaders");
    }
    if (r.responseHeaders() != null) {
      fields.add("responseHeaders");
    }
    if (r.timeout() != null) {
      fields.add("timeout");
    }
    if (r.mirrors() != null) {
      fields.add("mirrors");
    }
    if (r.sessionPersistence() != null) {
      fields.add("sessionPersistence");
    }
    return fields;
  }

  private static void backends(String path, List<RouteBackend> backends, SpecIndex index, Problems problems) {
    problems.size(path, backends, MAX_BACKENDS, "backend");
    int zeroWeights = 0;
    int entries = 0;
    for (int i = 0; i < backends.size(); i++) {
      String at = FieldPath.index(path, i);
      RouteBackend b = backends.get(i);
      if (!problems.entry(at, b, "a backend")) {
        continue;
      }
      if (problems.required(at + ".name", b.name()) && !index.hasBackend(b.name())) {
        problems.add(at + ".name", "no backend named " + Problems.quote(b.name()));
      }
      problems.range(at + ".weight", b.weight(), 0, MAX_WEIGHT, "a weight");
      HeaderRules.modifier(at + ".requestHeaders", b.requestHeaders(), true, problems);
      entries++;
      zeroWeights += b.weightOrDefault() == 0 ? 1 : 0;
    }
    problems.unique(path, backends, RouteBackend::name, "name", "backend");
    // all-zero weights are refused rather than served as 500s: it is a mistake, not a way to drain
    if (entries > 0 && zeroWeights == entries) {
      problems.add(path, "all weights are 0, so the route would never be served");
    }
  }
}
