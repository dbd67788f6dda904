package dev.gantry.operator.gateway;

import dev.gantry.model.Backend;
import dev.gantry.model.BackendProtocol;
import dev.gantry.model.HeaderMatch;
import dev.gantry.model.HeaderModifier;
import dev.gantry.model.PathMatch;
import dev.gantry.operator.gateway.api.GrpcRouteResource;
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
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A GRPCRoute's rules in the model's terms: a gRPC call is an HTTP/2 POST to {@code /service/method}, so a
 * method match becomes a path (service and method: that exact path; service only: the prefix
 * {@code /service}; method only, or {@code RegularExpression}: a path regex), header matches of type
 * {@code Exact} stay header matches, {@code RequestHeaderModifier} and {@code ResponseHeaderModifier} are
 * served, {@code sessionPersistence} as {@link RouteSessionPersistence} says, and every Service backend is
 * spoken to in HTTP/2 without TLS ({@code H2C}), as gRPC servers speak. A rule that needs anything else is
 * left out and named in {@link RouteRules#unsupported()}. Pure.
 */
final class GrpcRouteTranslator {

  /** Prefix of the model backends of gRPC Services: a Service port may also serve HTTP/1 to an HTTPRoute. */
  static final String BACKEND_PREFIX = "h2c-";

  private GrpcRouteTranslator() {
  }

  static RouteRules translate(GrpcRouteResource route, Function<BackendRef, BackendRefs.Resolved> resolver) {
    Function<BackendRef, BackendRefs.Resolved> h2c = ref -> h2c(resolver.apply(ref));
    List<RouteRules.Rule> rules = new ArrayList<>();
    Map<String, Backend> backends = new LinkedHashMap<>();
    List<String> unsupported = new ArrayList<>();
    String refsReason = "ResolvedRefs";
    String refsMessage = "every backendRef is resolved";
    List<GrpcRouteResource.Rule> all = route.getSpec() == null ? List.of() : route.getSpec().rulesOrEmpty();
    List<String> names = all.stream().map(GrpcRouteResource.Rule::name).toList();
    for (int i = 0; i < all.size(); i++) {
      GrpcRouteResource.Rule rule = all.get(i);
      String why = RuleNames.repeated(names, i);
      why = why != null ? why : unsupported(rule);
      WeightedBackends w = WeightedBackends.of(rule.backendRefs(), h2c, true, BackendFilters::requestHeaders);
      if (w.failure() != null && "ResolvedRefs".equals(refsReason)) {
        refsReason = w.failure().reason();
        refsMessage = w.failure().message();
      }
      w.backends().forEach(backends::putIfAbsent);
      if (why != null) {
        unsupported.add("rules[" + i + "]: " + why);
        continue;
      }
      rules.add(new RouteRules.Rule(i, matches(rule), headers(rule.filters(), "RequestHeaderModifier"),
          headers(rule.filters(), "ResponseHeaderModifier"), null, null, w.weighted(), null, null, null,
          RouteSessionPersistence.of(rule.sessionPersistence())));
    }
    return new RouteRules(rules, backends, unsupported, refsReason, refsMessage);
  }

  /** A Service backend spoken to in h2c (h2 when a BackendTLSPolicy gave it TLS); the backends that fail requests themselves stay as they are. */
  static BackendRefs.Resolved h2c(BackendRefs.Resolved r) {
    Backend b = r.backend();
    if (b.fixedResponse() != null || b.name().equals(BackendRefs.UNRESOLVED.name())) {
      return r;
    }
    return new BackendRefs.Resolved(new Backend(BACKEND_PREFIX + b.name(), b.service(), b.endpoints(), b.balance(),
        b.healthCheck(), b.maxConnectionsPerEndpoint(), b.proxyProtocol(),
        b.tls() == null ? BackendProtocol.H2C : BackendProtocol.H2, b.tls(), null),
        r.reason(), r.message());
  }

  /** Why the model cannot serve a rule as written, or null. */
  static String unsupported(GrpcRouteResource.Rule rule) {
    String session = RouteSessionPersistence.unsupported(rule.sessionPersistence());
    if (session != null) {
      return session;
    }
    for (GrpcRouteResource.Match m : rule.matches() == null ? List.<GrpcRouteResource.Match>of() : rule.matches()) {
      for (var h : m.headers() == null ? List.<dev.gantry.operator.gateway.api.HttpRouteResource.HeaderMatch>of()
          : m.headers()) {
        if (h.type() != null && !h.type().equals("Exact")) {
          return "header match type " + h.type() + " is not supported yet";
        }
      }
      if (m.method() != null && path(m.method()) == null) {
        return "method match " + m.method() + " is not a valid service and method match";
      }
    }
    for (Filter f : rule.filters() == null ? List.<Filter>of() : rule.filters()) {
      HeaderFilter h = "RequestHeaderModifier".equals(f.type()) ? f.requestHeaderModifier()
          : "ResponseHeaderModifier".equals(f.type()) ? f.responseHeaderModifier() : null;
      if (h == null) {
        return "filter " + f.type() + " is not supported";
      }
    }
    for (BackendRef ref : rule.backendRefs() == null ? List.<BackendRef>of() : rule.backendRefs()) {
      String filters = BackendFilters.unsupported(ref);
      if (filters != null) {
        return filters;
      }
    }
    return null;
  }

  /**
   * The path a method match stands for: {@code /service/method} exactly, the prefix {@code /service} (whole
   * segments), or a regex; null when a regular expression does not compile.
   */
  static PathMatch path(GrpcRouteResource.MethodMatch m) {
    boolean regex = "RegularExpression".equals(m.type());
    String service = empty(m.service()) ? null : m.service();
    String method = empty(m.method()) ? null : m.method();
    if (!regex && service != null && method != null) {
      return PathMatch.exact("/" + service + "/" + method);
    }
    if (!regex && service != null) {
      return PathMatch.prefix("/" + service);
    }
    if (!regex && method == null) {
      return PathMatch.prefix("/");
    }
    String s = service == null ? "[^/]+" : regex ? service : Pattern.quote(service);
    String n = method == null ? "[^/]+" : regex ? method : Pattern.quote(method);
    String pattern = "/(" + s + ")/(" + n + ")";
    try {
      Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      return null;
    }
    return PathMatch.regex(pattern);
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }

  private static List<RouteRules.Match> matches(GrpcRouteResource.Rule rule) {
    List<GrpcRouteResource.Match> in = rule.matches() == null || rule.matches().isEmpty()
        ? List.of(new GrpcRouteResource.Match(null, null)) : rule.matches();
    List<RouteRules.Match> out = new ArrayList<>();
    for (GrpcRouteResource.Match m : in) {
      List<HeaderMatch> headers = new ArrayList<>();
      List<String> seen = new ArrayList<>();
      for (var h : m.headers() == null ? List.<dev.gantry.operator.gateway.api.HttpRouteResource.HeaderMatch>of()
          : m.headers()) {
        // a header named twice: the first one counts
        if (!seen.contains(h.name().toLowerCase(Locale.ROOT))) {
          seen.add(h.name().toLowerCase(Locale.ROOT));
          headers.add(new HeaderMatch(h.name(), h.value()));
        }
      }
      out.add(new RouteRules.Match(m.method() == null ? PathMatch.prefix("/") : path(m.method()), headers, null));
    }
    return out;
  }

  private static HeaderModifier headers(List<Filter> filters, String type) {
    for (Filter f : filters == null ? List.<Filter>of() : filters) {
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
