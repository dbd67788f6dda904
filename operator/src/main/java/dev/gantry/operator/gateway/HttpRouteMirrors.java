package dev.gantry.operator.gateway;

import dev.gantry.model.Backend;
import dev.gantry.model.RouteMirror;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.gateway.api.HttpRouteResource.BackendRef;
import dev.gantry.operator.gateway.api.HttpRouteResource.Filter;
import dev.gantry.operator.gateway.api.HttpRouteResource.Fraction;
import dev.gantry.operator.gateway.api.HttpRouteResource.MirrorFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code RequestMirror} filters of an HTTPRoute rule as the model's mirrors: each backendRef resolved as
 * the rule's backendRefs are (ReferenceGrants included), its {@code percent} or {@code fraction} as the
 * model's percentage. A backendRef that does not resolve is left out, not mirrored to, and its failure
 * given for the route's {@code ResolvedRefs}, as the specification asks. Pure.
 */
final class HttpRouteMirrors {

  static final String MIRROR = "RequestMirror";

  /** The mirrors of a rule, the model backends they name, and the first backendRef that did not resolve. */
  record Mirrors(List<RouteMirror> mirrors, Map<String, Backend> backends, BackendRefs.Resolved failure) {
  }

  private HttpRouteMirrors() {
  }

  /** Why a RequestMirror filter cannot be served as written, or null. */
  static String unsupported(MirrorFilter m) {
    if (m == null || m.backendRef() == null) {
      return "RequestMirror has no backendRef";
    }
    if (m.percent() != null && m.fraction() != null) {
      return "RequestMirror sets both percent and fraction";
    }
    if (m.percent() != null && (m.percent() < 0 || m.percent() > 100)) {
      return "RequestMirror percent " + m.percent() + " is not from 0 to 100";
    }
    Fraction f = m.fraction();
    if (f != null) {
      int denominator = f.denominator() == null ? 100 : f.denominator();
      if (f.numerator() == null || f.numerator() < 0 || denominator <= 0 || f.numerator() > denominator) {
        return "RequestMirror fraction " + f.numerator() + "/" + denominator + " is not a share of requests";
      }
    }
    return null;
  }

  /** The rule's mirrors; its filters were found {@link #unsupported supported}. */
  static Mirrors of(HttpRouteResource.Rule rule, Function<BackendRef, BackendRefs.Resolved> resolver) {
    List<RouteMirror> mirrors = new ArrayList<>();
    Map<String, Backend> backends = new LinkedHashMap<>();
    BackendRefs.Resolved failure = null;
    for (Filter f : rule.filters() == null ? List.<Filter>of() : rule.filters()) {
      if (!MIRROR.equals(f.type())) {
        continue;
      }
      BackendRefs.Resolved r = resolver.apply(f.requestMirror().backendRef());
      if (!r.ok()) {
        failure = failure == null ? r : failure;
        continue;
      }
      backends.putIfAbsent(r.backend().name(), r.backend());
      mirrors.add(new RouteMirror(r.backend().name(), percent(f.requestMirror())));
    }
    return new Mirrors(mirrors, backends, failure);
  }

  /** The share as the model's percentage: null (every request) when neither percent nor fraction is set. */
  static Double percent(MirrorFilter m) {
    if (m.percent() != null) {
      return m.percent().doubleValue();
    }
    Fraction f = m.fraction();
    if (f == null) {
      return null;
    }
    int denominator = f.denominator() == null ? 100 : f.denominator();
    return f.numerator() * 100.0 / denominator;
  }
}
