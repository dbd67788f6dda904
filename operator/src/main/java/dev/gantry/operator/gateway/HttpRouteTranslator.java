package dev.gantry.operator.gateway;

import dev.gantry.model.Backend;
import dev.gantry.model.HeaderMatch;
import dev.gantry.model.PathMatch;
import dev.gantry.model.QueryParamMatch;
import dev.gantry.model.Redirect;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.gateway.api.HttpRouteResource.BackendRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * An HTTPRoute's rules in the model's terms. What the model serves: path {@code Exact} and {@code PathPrefix},
 * header and query parameter {@code Exact}, method, the filters {@link HttpRouteFilters} knows (mirrors by
 * {@link HttpRouteMirrors}), the {@link HttpRouteTimeouts}, {@link RouteSessionPersistence}, weighted Service
 * backends. A rule that needs
 * anything else is left out and named in {@link RouteRules#unsupported()}, never served without it. Pure.
 */
final class HttpRouteTranslator {

  private HttpRouteTranslator() {
  }

  static RouteRules translate(HttpRouteResource route, Function<BackendRef, BackendRefs.Resolved> resolver) {
    List<RouteRules.Rule> rules = new ArrayList<>();
    Map<String, Backend> backends = new LinkedHashMap<>();
    List<String> unsupported = new ArrayList<>();
    String refsReason = "ResolvedRefs";
    String refsMessage = "every backendRef is resolved";
    List<HttpRouteResource.Rule> all = route.getSpec() == null ? List.of() : route.getSpec().rulesOrEmpty();
    List<String> names = all.stream().map(HttpRouteResource.Rule::name).toList();
    for (int i = 0; i < all.size(); i++) {
      HttpRouteResource.Rule rule = all.get(i);
      String why = RuleNames.repeated(names, i);
      why = why != null ? why : unsupported(rule);
      for (BackendRef ref : rule.backendRefs() == null ? List.<BackendRef>of() : rule.backendRefs()) {
        why = why != null ? why : BackendFilters.unsupported(ref);
      }
      WeightedBackends w = WeightedBackends.of(rule.backendRefs(), resolver, true, BackendFilters::requestHeaders);
      why = why != null ? why : w.conflict();
      if (w.failure() != null && "ResolvedRefs".equals(refsReason)) {
        refsReason = w.failure().reason();
        refsMessage = w.failure().message();
      }
      Redirect redirect = why == null ? HttpRouteFilters.redirect(rule) : null;
      if (redirect == null) {
        w.backends().forEach(backends::putIfAbsent);
      }
      if (why != null) {
        unsupported.add("rules[" + i + "]: " + why);
        continue;
      }
      HttpRouteMirrors.Mirrors mirrors = HttpRouteMirrors.of(rule, resolver);
      mirrors.backends().forEach(backends::putIfAbsent);
      if (mirrors.failure() != null && "ResolvedRefs".equals(refsReason)) {
        refsReason = mirrors.failure().reason();
        refsMessage = mirrors.failure().message();
      }
      // a redirect is answered by the proxy: it forwards nowhere and changes no request
      rules.add(new RouteRules.Rule(i, matches(rule),
          redirect == null ? HttpRouteFilters.headers(rule, HttpRouteFilters.REQUEST_HEADERS) : null,
          HttpRouteFilters.headers(rule, HttpRouteFilters.RESPONSE_HEADERS),
          redirect == null ? HttpRouteFilters.rewrite(rule) : null, redirect,
          redirect == null ? w.weighted() : null,
          redirect == null ? HttpRouteTimeouts.timeout(rule.timeouts()) : null, HttpRouteFilters.cors(rule),
          mirrors.mirrors().isEmpty() ? null : mirrors.mirrors(),
          redirect == null ? RouteSessionPersistence.of(rule.sessionPersistence()) : null));
    }
    return new RouteRules(rules, backends, unsupported, refsReason, refsMessage);
  }

  /** Why the model cannot serve a rule as written, or null. */
  static String unsupported(HttpRouteResource.Rule rule) {
    if (rule.retry() != null) {
      return "retry is not supported yet";
    }
    String session = RouteSessionPersistence.unsupported(rule.sessionPersistence());
    if (session != null) {
      return session;
    }
    String timeouts = HttpRouteTimeouts.unsupported(rule.timeouts());
    if (timeouts != null) {
      return timeouts;
    }
    for (HttpRouteResource.Match m : rule.matches() == null ? List.<HttpRouteResource.Match>of() : rule.matches()) {
      if (m.path() != null && m.path().type() != null && !m.path().type().equals("Exact")
          && !m.path().type().equals("PathPrefix")) {
        return "path match type " + m.path().type() + " is not supported yet";
      }
      for (HttpRouteResource.QueryParamMatch q : m.queryParams() == null
          ? List.<HttpRouteResource.QueryParamMatch>of() : m.queryParams()) {
        if (q.type() != null && !q.type().equals("Exact")) {
          return "query parameter match type " + q.type() + " is not supported";
        }
      }
      for (HttpRouteResource.HeaderMatch h : m.headers() == null ? List.<HttpRouteResource.HeaderMatch>of()
          : m.headers()) {
        if (h.type() != null && !h.type().equals("Exact")) {
          return "header match type " + h.type() + " is not supported yet";
        }
      }
    }
    return HttpRouteFilters.unsupported(rule);
  }

  private static List<RouteRules.Match> matches(HttpRouteResource.Rule rule) {
    List<HttpRouteResource.Match> in = rule.matches() == null || rule.matches().isEmpty()
        ? List.of(new HttpRouteResource.Match(null, null, null, null)) : rule.matches();
    List<RouteRules.Match> out = new ArrayList<>();
    for (HttpRouteResource.Match m : in) {
      List<HeaderMatch> headers = new ArrayList<>();
      List<String> seen = new ArrayList<>();
      for (HttpRouteResource.HeaderMatch h : m.headers() == null ? List.<HttpRouteResource.HeaderMatch>of()
          : m.headers()) {
        // a header named twice: the first one counts
        if (!seen.contains(h.name().toLowerCase(Locale.ROOT))) {
          seen.add(h.name().toLowerCase(Locale.ROOT));
          headers.add(new HeaderMatch(h.name(), h.value()));
        }
      }
      out.add(new RouteRules.Match(path(m.path()), headers, queryParams(m), m.method()));
    }
    return out;
  }

  static PathMatch path(HttpRouteResource.PathMatch p) {
    String value = p == null || p.value() == null ? "/" : p.value();
    if (p != null && "Exact".equals(p.type())) {
      return PathMatch.exact(value);
    }
    // PathPrefix "/a/" matches "/a" and "/a/b", as "/a" does
    while (value.length() > 1 && value.endsWith("/")) {
      value = value.substring(0, value.length() - 1);
    }
    return PathMatch.prefix(value);
  }

  /** A parameter named twice: the first one counts, as for headers (names are case-sensitive). */
  private static List<QueryParamMatch> queryParams(HttpRouteResource.Match m) {
    List<QueryParamMatch> out = new ArrayList<>();
    for (HttpRouteResource.QueryParamMatch q : m.queryParams() == null
        ? List.<HttpRouteResource.QueryParamMatch>of() : m.queryParams()) {
      if (out.stream().noneMatch(x -> x.name().equals(q.name()))) {
        out.add(new QueryParamMatch(q.name(), q.value()));
      }
    }
    return out;
  }
}
