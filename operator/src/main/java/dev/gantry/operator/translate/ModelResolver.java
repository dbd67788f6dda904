package dev.gantry.operator.translate;

import dev.gantry.model.Backend;
import dev.gantry.model.BackendStatus;
import dev.gantry.model.Listener;
import dev.gantry.model.ListenerStatus;
import dev.gantry.model.LoadBalancer;
import dev.gantry.model.LoadBalancerSpec;
import dev.gantry.model.Metadata;
import dev.gantry.model.Protocol;
import dev.gantry.model.Route;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compiles a {@code LoadBalancer} and what it references into the resolved model the proxies serve:
 * invalid parts left out ({@link PartialAcceptance}), certificates bundled ({@link TlsBundler}), Services
 * replaced by their ready endpoints and protocols ({@link EndpointResolver}), backends' CA bundles and client
 * certificates bundled ({@link BackendTlsBundler}). Pure: no API calls, same input same output.
 */
public final class ModelResolver {

  private ModelResolver() {
  }

  public static Resolution resolve(LoadBalancer lb, ClusterRefs refs) {
    List<Finding> findings = new ArrayList<>();
    PartialAcceptance.Result accepted = PartialAcceptance.prune(lb);
    findings.addAll(accepted.findings());
    if (accepted.servable() == null) {
      return unservable(lb, findings);
    }
    TlsBundler.Bundled bundled = TlsBundler.bundle(accepted.servable(), refs);
    findings.addAll(bundled.findings());
    // a listener left without certificates can take routes with it
    PartialAcceptance.Result again = PartialAcceptance.prune(bundled.lb());
    findings.addAll(again.findings());
    if (again.servable() == null) {
      return unservable(lb, findings);
    }
    LoadBalancerSpec s = again.servable().spec();
    Map<String, BackendStatus> backendStatus = new HashMap<>();
    Map<String, String> bundle = new TreeMap<>(bundled.bundle());
    Set<String> http = httpBackends(s);
    List<Backend> backends = new ArrayList<>();
    for (Backend b : s.backendsOrEmpty()) {
      EndpointResolver.Resolved r = EndpointResolver.resolve(b, refs, http.contains(b.name()));
      r.finding().ifPresent(findings::add);
      BackendTlsBundler.Outcome tls = BackendTlsBundler.bundle(r.backend(), r.status(), refs, bundle);
      if (tls.finding() != null && r.finding().isEmpty()) {
        findings.add(tls.finding());
      }
      backends.add(tls.backend());
      backendStatus.put(b.name(), tls.status());
    }
    Metadata m = lb.metadata();
    LoadBalancer model = new LoadBalancer(LoadBalancer.API_VERSION, LoadBalancer.KIND,
        new Metadata(m.name(), m.namespace(), m.generation(), null, null),
        new LoadBalancerSpec(s.timeouts(), s.listeners(), s.routes(), backends, null, null), null);
    return new Resolution(model, bundle, findings, listenerStatus(lb, model), backendStatus(lb, backendStatus));
  }

  /**
   * The backends that serve HTTP: the default backend of an HTTP or HTTPS listener, or a backend or mirror of
   * a route attached to one. The others are only reached through TCP or TLS passthrough.
   */
  static Set<String> httpBackends(LoadBalancerSpec s) {
    Set<String> out = new HashSet<>();
    List<Listener> http = s.listenersOrEmpty().stream().filter(l -> l.protocol().isHttp()).toList();
    for (Listener l : http) {
      if (l.defaultBackend() != null) {
        out.add(l.defaultBackend());
      }
    }
    for (Route r : s.routesOrEmpty()) {
      if (http.stream().anyMatch(l -> attaches(r, l))) {
        r.backendsOrEmpty().forEach(b -> out.add(b.name()));
        r.mirrorsOrEmpty().forEach(m -> out.add(m.backend()));
      }
    }
    return out;
  }

  private static Resolution unservable(LoadBalancer lb, List<Finding> findings) {
    return new Resolution(null, Map.of(), findings, listenerStatus(lb, null), backendStatus(lb, Map.of()));
  }

  /** Every listener of the spec, with the routes attached to it in what is served (0 when it is not served). */
  private static List<ListenerStatus> listenerStatus(LoadBalancer lb, LoadBalancer served) {
    List<ListenerStatus> out = new ArrayList<>();
    for (Listener l : lb.spec() == null ? List.<Listener>of() : lb.spec().listenersOrEmpty()) {
      if (l == null || l.name() == null) {
        continue;
      }
      int attached = 0;
      Listener servedListener = served == null ? null : served.spec().listenersOrEmpty().stream()
          .filter(x -> x.name().equals(l.name())).findFirst().orElse(null);
      if (servedListener != null) {
        for (Route r : served.spec().routesOrEmpty()) {
          attached += attaches(r, servedListener) ? 1 : 0;
        }
      }
      out.add(new ListenerStatus(l.name(), attached));
    }
    return out;
  }

  private static List<BackendStatus> backendStatus(LoadBalancer lb, Map<String, BackendStatus> resolved) {
    List<BackendStatus> out = new ArrayList<>();
    for (Backend b : lb.spec() == null ? List.<Backend>of() : lb.spec().backendsOrEmpty()) {
      if (b != null && b.name() != null) {
        out.add(resolved.getOrDefault(b.name(), new BackendStatus(b.name(), 0, 0)));
      }
    }
    return out;
  }

  /** The proxy's rule: named listeners, or else every listener whose protocol the route fits. */
  static boolean attaches(Route route, Listener listener) {
    if (!route.listenersOrEmpty().isEmpty()) {
      return route.listenersOrEmpty().contains(listener.name());
    }
    Protocol p = listener.protocol();
    return p.isHttp() || (p == Protocol.TLS && !route.needsHttp());
  }
}
