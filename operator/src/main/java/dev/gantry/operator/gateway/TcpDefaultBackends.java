package dev.gantry.operator.gateway;

import dev.gantry.model.Backend;
import dev.gantry.model.Endpoint;
import dev.gantry.model.Listener;
import dev.gantry.model.Protocol;
import dev.gantry.model.RouteBackend;
import dev.gantry.operator.ingress.Labels;
import dev.gantry.operator.translate.ClusterRefs;
import dev.gantry.operator.translate.EndpointResolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The default backends of a Gateway's TCP listeners. A TCP listener's connections go to the oldest TCPRoute
 * attached to it (the specification lets only one route of a TCP listener take traffic; the others are accepted
 * and counted). A rule of one Service is that Service's backend; a rule of several weighted Services becomes one
 * backend of all their ready endpoints, each weighted so that every Service gets its share of connections (a
 * Service without ready endpoints keeps its share, which is refused). A TCP port no route is attached to refuses
 * connections.
 */
final class TcpDefaultBackends {

  private static final int MAX_ENDPOINT_WEIGHT = 256;

  private final Map<Integer, RouteInput> routes = new TreeMap<>();
  private final Map<Integer, RouteRules> rules = new TreeMap<>();

  /** Records that {@code route} is attached on {@code port}; the first one recorded (the oldest) keeps it. */
  void attach(int port, RouteInput route, RouteRules routeRules) {
    if (!routes.containsKey(port)) {
      routes.put(port, route);
      rules.put(port, routeRules);
    }
  }

  /**
   * The TCP listeners of {@code ports} with their default backend, the backends they use put in
   * {@code backends}.
   *
   * @param refs the Services and EndpointSlices of the Gateway's namespace
   */
  void apply(Map<Integer, Listener> ports, Map<String, Backend> backends, ClusterRefs refs) {
    ports.replaceAll((port, l) -> {
      if (l.protocol() != Protocol.TCP) {
        return l;
      }
      Backend b = backend(port, refs);
      backends.putIfAbsent(b.name(), b);
      return new Listener(l.name(), l.port(), l.protocol(), l.redirectToHttps(), l.tls(), b.name());
    });
  }

  private Backend backend(int port, ClusterRefs refs) {
    RouteRules r = rules.get(port);
    if (r == null || r.rules().isEmpty()) {
      return BackendRefs.UNRESOLVED;
    }
    List<RouteBackend> weighted = r.rules().get(0).backends();
    if (weighted.size() == 1) {
      return r.backends().get(weighted.get(0).name());
    }
    RouteInput route = routes.get(port);
    return merged(Labels.of("tcproute", route.namespace(), route.name()), weighted, r.backends(), refs);
  }

  /** One backend of the endpoints of several, weighted so that each backend gets its weight's share. */
  static Backend merged(String name, List<RouteBackend> weighted, Map<String, Backend> byName, ClusterRefs refs) {
    long total = weighted.stream().mapToLong(RouteBackend::weightOrDefault).sum();
    List<List<Endpoint>> endpoints = new ArrayList<>();
    double heaviest = 0;
    for (RouteBackend rb : weighted) {
      Backend b = byName.get(rb.name());
      List<Endpoint> es = b.service() == null ? b.endpointsOrEmpty()
          : EndpointResolver.resolve(b, refs, false).backend().endpointsOrEmpty();
      endpoints.add(es.isEmpty() ? BackendRefs.UNRESOLVED.endpoints() : es);
      heaviest = Math.max(heaviest, share(rb, total, endpoints.get(endpoints.size() - 1).size()));
    }
    Map<String, Endpoint> out = new LinkedHashMap<>();
    for (int i = 0; i < weighted.size(); i++) {
      double share = share(weighted.get(i), total, endpoints.get(i).size());
      int weight = (int) Math.max(1, Math.round(share / heaviest * MAX_ENDPOINT_WEIGHT));
      for (Endpoint e : endpoints.get(i)) {
        out.merge(e.address() + ":" + e.port(), new Endpoint(e.address(), e.port(), weight),
            (a, b) -> new Endpoint(a.address(), a.port(), Math.min(MAX_ENDPOINT_WEIGHT, a.weight() + b.weight())));
      }
    }
    return Backend.ofEndpoints(name, List.copyOf(out.values()));
  }

  private static double share(RouteBackend rb, long total, int endpoints) {
    return (double) rb.weightOrDefault() / total / endpoints;
  }
}
