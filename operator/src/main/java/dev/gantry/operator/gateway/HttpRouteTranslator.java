package dev.gantry.operator.gateway;

import dev.gantry.model.Backend;
import dev.gantry.model.HeaderMatch;
import dev.gantry.model.HeaderModifier;
import dev.gantry.model.PathMatch;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.gateway.api.HttpRouteResource.BackendRef;
import dev.gantry.operator.gateway.api.HttpRouteResource.Filter;
import dev.gantry.operator.gateway.api.HttpRouteResource.Header;
import dev.gantry.operator.gateway.api.HttpRouteResource.HeaderFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * An HTTPRoute's rules in the model's terms. What the model serves: path {@code Exact} and {@code PathPrefix},
 * header {@code Exact}, method, {@code RequestHeaderModifier} and {@code ResponseHeaderModifier} with
 * {@code set}, {@code add} and {@code remove}, weighted Service backends. A rule that needs anything else is
 * left out and named in {@link RouteRules#unsupported()}, never served without it. Pure.
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
    for (int i = 0; i < all.size(); i++) {
      HttpRouteResource.Rule rule = all.get(i);
      String why = unsupported(rule);
      for (BackendRef ref : rule.backendRefs() == null ? List.<BackendRef>of() : rule.backendRefs()) {
        if (why == null && ref.filters() != null && !ref.filters().isEmpty()) {
          why = "filters on a backendRef are not supported";
        }
      }
      WeightedBackends w = WeightedBackends.of(rule.backendRefs(), resolver, true);
      if (w.failure() != null && "ResolvedRefs".equals(refsReason)) {
        refsReason = w.failure().reason();
        refsMessage = w.failure().message();
      }
      w.backends().forEach(backends::putIfAbsent);
      if (why != null) {
        unsupported.add("rules[" + i + "]: " + why);
        continue;
      }
      rules.add(new RouteRules.Rule(i, matches(rule), headers(rule, "RequestHeaderModifier"),
          headers(rule, "ResponseHeaderModifier"), w.weighted()));
    }
    return new RouteRules(rules, backends, unsupported, refsReason, refsMessage);
  }

  /** Why the model cannot serve a rule as written, or null. */
  static String unsupported(HttpRouteResource.Rule rule) {
    if (rule.timeouts() != null || rule.retry() != null || rule.sessionPersistence() != null) {
      return "timeouts, retry and sessionPersistence are not supported yet";
    }
    for (HttpRouteResource.Match m : rule.matches() == null ? List.<HttpRouteResource.Match>of() : rule.matches()) {
      if (m.path() != null && m.path().type() != null && !m.path().type().equals("Exact")
          && !m.path().type().equals("PathPrefix")) {
        return "path match type " + m.path().type() + " is not supported yet";
      }
      if (m.queryParams() != null && !m.queryParams().isEmpty()) {
        return "query parameter matches are not supported yet";
      }
      for (HttpRouteResource.HeaderMatch h : m.headers() == null ? List.<HttpRouteResource.HeaderMatch>of()
          : m.headers()) {
        if (h.type() != null && !h.type().equals("Exact")) {
          return "header match type " + h.type() + " is not supported yet";
        }
      }
    }
    for (Filter f : rule.filters() == null ? List.<Filter>of() : rule.filters()) {
      HeaderFilter h = "RequestHeaderModifier".equals(f.type()) ? f.requestHeaderModifier()
          : "ResponseHeaderModifier".equals(f.type()) ? f.responseHeaderModifier() : null;
      if (h == null) {
        return "filter " + f.type() + " is not supported yet";
      }
    }
    return null;
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
      out.add(new RouteRules.Match(path(m.path()), headers, m.method()));
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

  private static HeaderModifier headers(HttpRouteResource.Rule rule, String type) {
    for (Filter f : rule.filters() == null ? List.<Filter>of() : rule.filters()) {
      if (type.equals(f.type())) {
        HeaderFilter h = "RequestHeaderModifier".equals(type) ? f.requestHeaderModifier() : f.responseHeaderModifier();
        Map<String, String> set = byName(h.set());
        Map<String, String> add = byName(h.add());
        return new HeaderModifier(set.isEmpty() ? null : set, add.isEmpty() ? null : add,
            h.remove() == null || h.remove().isEmpty() ? null : h.remove());
      }
    }
    return null;
  }

  private static Map<String, String> byName(List<Header> headers) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Header x : headers == null ? List.<Header>of() : headers) {
      out.put(x.name(), x.value());
    }
    return out;
  }
}
