package dev.gantry.operator.gateway;

import dev.gantry.model.Backend;
import dev.gantry.model.RouteBackend;
import dev.gantry.operator.gateway.api.HttpRouteResource.BackendRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The backendRefs of one rule as weighted model backends: refs of weight 0 are left out, two refs to one
 * backend add up, and a rule with no weight left fails every request (the {@link BackendRefs#unusable}
 * backend: 500 for HTTP routes, as Gateway API requires of a rule without backendRefs). Also the first
 * reference that did not resolve, for the route's {@code ResolvedRefs}. Pure.
 */
record WeightedBackends(List<RouteBackend> weighted, Map<String, Backend> backends, BackendRefs.Resolved failure) {

  static WeightedBackends of(List<BackendRef> refs, Function<BackendRef, BackendRefs.Resolved> resolver,
      boolean http) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    Map<String, Backend> backends = new LinkedHashMap<>();
    BackendRefs.Resolved failure = null;
    for (BackendRef ref : refs == null ? List.<BackendRef>of() : refs) {
      BackendRefs.Resolved r = resolver.apply(ref);
      if (!r.ok() && failure == null) {
        failure = r;
      }
      int weight = ref.weight() == null ? 1 : ref.weight();
      if (weight > 0) {
        backends.putIfAbsent(r.backend().name(), r.backend());
        weights.merge(r.backend().name(), weight, Integer::sum);
      }
    }
    if (weights.isEmpty()) {
      Backend none = BackendRefs.unusable(http);
      backends.put(none.name(), none);
      weights.put(none.name(), 1);
    }
    List<RouteBackend> weighted = new ArrayList<>();
    weights.forEach((name, w) -> weighted.add(new RouteBackend(name, w)));
    return new WeightedBackends(weighted, backends, failure);
  }
}
