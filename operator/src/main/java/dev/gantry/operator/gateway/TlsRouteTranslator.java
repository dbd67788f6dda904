package dev.gantry.operator.gateway;

import dev.gantry.model.Backend;
import dev.gantry.operator.gateway.api.HttpRouteResource.BackendRef;
import dev.gantry.operator.gateway.api.TlsRouteResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A TLSRoute's rules in the model's terms: each rule one route by server name (SNI, from the route's and the
 * listener's hostnames) to its weighted Service backends, the TLS connection passed through. Pure.
 */
final class TlsRouteTranslator {

  private TlsRouteTranslator() {
  }

  static RouteRules translate(TlsRouteResource route, Function<BackendRef, BackendRefs.Resolved> resolver) {
    return rules(route.getSpec() == null ? List.of() : route.getSpec().rulesOrEmpty(), resolver);
  }

  /** The rules of a TLSRoute, or of a TCPRoute (the same shape: weighted backendRefs, no matches). */
  static RouteRules rules(List<TlsRouteResource.Rule> all, Function<BackendRef, BackendRefs.Resolved> resolver) {
    List<RouteRules.Rule> rules = new ArrayList<>();
    Map<String, Backend> backends = new LinkedHashMap<>();
    String refsReason = "ResolvedRefs";
    String refsMessage = "every backendRef is resolved";
    for (int i = 0; i < all.size(); i++) {
      WeightedBackends w = WeightedBackends.of(all.get(i).backendRefs(), resolver, false);
      if (w.failure() != null && "ResolvedRefs".equals(refsReason)) {
        refsReason = w.failure().reason();
        refsMessage = w.failure().message();
      }
      w.backends().forEach(backends::putIfAbsent);
      rules.add(new RouteRules.Rule(i, List.of(new RouteRules.Match(null, List.of(), null)), null, null,
          w.weighted()));
    }
    return new RouteRules(rules, backends, List.of(), refsReason, refsMessage);
  }
}
