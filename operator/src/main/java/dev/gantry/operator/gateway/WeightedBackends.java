package dev.gantry.operator.gateway;

import dev.gantry.model.Backend;
import dev.gantry.model.HeaderModifier;
import dev.gantry.model.RouteBackend;
import dev.gantry.operator.gateway.api.HttpRouteResource.BackendRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The backendRefs of one rule as weighted model backends: refs of weight 0 are left out, two refs to one
 * backend add up, and a rule with no weight left fails every request (the {@link BackendRefs#unusable}
 * backend: 500 for HTTP routes, as Gateway API requires of a rule without backendRefs). Also the first
 * reference that did not resolve, for the route's {@code ResolvedRefs}, and, for HTTPRoutes whose backendRefs
 * change request headers, why two refs to one backend cannot be served ({@code conflict}: they change headers
 * differently, and the model has one entry per backend). Pure.
 */
record WeightedBackends(List<RouteBackend> weighted, Map<String, Backend> backends, BackendRefs.Resolved failure,
    String conflict) {

  static WeightedBackends of(List<BackendRef> refs, Function<BackendRef, BackendRefs.Resolved> resolver,
      boolean http) {
    return of(refs, resolver, http, ref -> null);
  }

  /** @param requestHeaders the request header changes of a backendRef, or null */
  static WeightedBackends of(List<BackendRef> refs, Function<BackendRef, BackendRefs.Resolved> resolver,
      boolean http, Function<BackendRef, HeaderModifier> requestHeaders) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    Map<String, HeaderModifier> headers = new LinkedHashMap<>();
    Map<String, Backend> backends = new LinkedHashMap<>();
    BackendRefs.Resolved failure = null;
    String conflict = null;
    for (BackendRef ref : refs == null ? List.<BackendRef>of() : refs) {
      BackendRefs.Resolved r = resolver.apply(ref);
      if (!r.ok() && failure == null) {
        failure = r;
      }
      int weight = ref.weight() == null ? 1 : ref.weight();
      if (weight > 0) {
        String name = r.backend().name();
        // the proxy answers a fixedResponse backend itself: header changes mean nothing to it
        HeaderModifier h = r.backend().fixedResponse() == null ? requestHeaders.apply(ref) : null;
        if (weights.containsKey(name) && !Objects.equals(headers.get(name), h) && conflict == null) {
          conflict = "backendRefs to " + ref.name() + " change request headers differently";
        }
        backends.putIfAbsent(name, r.backend());
        headers.putIfAbsent(name, h);
        weights.merge(name, weight, Integer::sum);
      }
    }
    if (weights.isEmpty()) {
      Backend none = BackendRefs.unusable(http);
      backends.put(none.name(), none);
      weights.put(none.name(), 1);
    }
    List<RouteBackend> weighted = new ArrayList<>();
    weights.forEach((name, w) -> weighted.add(new RouteBackend(name, w, headers.get(name))));
    return new WeightedBackends(weighted, backends, failure, conflict);
  }
}
