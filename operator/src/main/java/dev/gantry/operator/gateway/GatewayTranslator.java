package dev.gantry.operator.gateway;

import dev.gantry.model.Backend;
import dev.gantry.model.BackendTls;
import dev.gantry.model.CertificateRef;
import dev.gantry.model.DeploymentSpec;
import dev.gantry.model.Listener;
import dev.gantry.model.ListenerTls;
import dev.gantry.model.LoadBalancerSpec;
import dev.gantry.model.Protocol;
import dev.gantry.model.Route;
import dev.gantry.model.SecretRef;
import dev.gantry.model.ServiceSpec;
import dev.gantry.model.ServiceType;
import dev.gantry.operator.gateway.api.BackendTlsPolicyResource;
import dev.gantry.operator.gateway.api.GatewayApi;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.gateway.api.ParentRef;
import dev.gantry.operator.ingress.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Gateway and the HTTPRoutes, GRPCRoutes, TLSRoutes and TCPRoutes naming it, as the spec of one LoadBalancer:
 * one model listener per port (the Gateway's listeners and those of its ListenerSets ({@link ListenerSets}) on a
 * port share it, each route narrowed to its listeners'
 * hostnames, kept apart by {@link ListenerIsolation}), one model route per match of each HTTPRoute and GRPCRoute
 * rule and per TLSRoute rule, routes in the order the specification gives ties (oldest route first, then by
 * namespace and name, then rule order); a TCP listener's connections go to its oldest TCPRoute
 * ({@link TcpDefaultBackends}). The backends of HTTP and gRPC routes speak TLS as the BackendTLSPolicy of their
 * Service port says ({@link BackendTlsPolicies}), presenting the Gateway's client certificate
 * ({@link GatewayClientCertificate}). Pure.
 */
public final class GatewayTranslator {

  static final Comparator<RouteInput> ROUTE_ORDER = Comparator
      .comparing((RouteInput r) -> r.resource().getMetadata().getCreationTimestamp() == null ? ""
          : r.resource().getMetadata().getCreationTimestamp())
      .thenComparing(RouteInput::namespace)
      .thenComparing(RouteInput::name);

  private GatewayTranslator() {
  }

  static GatewayPlan translate(GatewayInputs in) {
    GatewayResource gw = in.gateway();
    String gwNs = gw.getMetadata().getNamespace();
    FrontendValidations frontend = new FrontendValidations(gw, in.refsIn(), in.grants());
    ListenerSets.Merged merged = ListenerSets.merge(gw, ListenerChecks.check(gw,
        ns -> in.refsIn().apply(ns).secrets(), in.grants()), in.listenerSets(), in.namespaceLabels(),
        ns -> in.refsIn().apply(ns).secrets(), in.grants());
    List<CheckedListener> listeners = frontend.judge(merged.listeners());
    Map<Integer, Listener> ports = modelListeners(listeners, frontend);
    List<Route> routes = new ArrayList<>();
    Map<String, Backend> backends = new LinkedHashMap<>();
    Map<String, Set<String>> attached = new LinkedHashMap<>();
    listeners.forEach(l -> attached.put(l.key(), new LinkedHashSet<>()));
    Map<HasMetadata, List<ParentVerdict>> verdicts = new IdentityHashMap<>();
    Map<BackendTlsPolicyResource, BackendTlsPolicies.Verdict> policies = new IdentityHashMap<>();
    List<RouteInput> ordered = new ArrayList<>();
    in.routes().forEach(r -> ordered.add(RouteInput.of(r)));
    in.tlsRoutes().forEach(r -> ordered.add(RouteInput.of(r)));
    in.tcpRoutes().forEach(r -> ordered.add(RouteInput.of(r)));
    in.grpcRoutes().forEach(r -> ordered.add(RouteInput.of(r)));
    TcpDefaultBackends tcp = new TcpDefaultBackends();
    ordered.sort(ROUTE_ORDER);
    for (RouteInput route : ordered) {
      String ns = route.namespace();
      String id = route.kind() + " " + ns + "/" + route.name();
      List<ParentRef> refs = route.parentRefs().stream()
          .filter(r -> r.names(gwNs, gw.getMetadata().getName(), ns) || merged.setNamed(r, ns) != null).toList();
      if (refs.isEmpty()) {
        continue;
      }
      Set<BackendTlsPolicyResource> targeting = new LinkedHashSet<>();
      RouteRules rules = route.rules().apply(ref -> in.backendTls().secure(BackendRefs.resolve(ref, route.kind(),
          route.http(), ns, gwNs, in.grants(), in.refsIn()), ref, ns, gwNs, route.kind(), targeting));
      String partial = rules.unsupported().isEmpty() ? null : String.join("; ", rules.unsupported());
      boolean nothingServed = rules.rules().isEmpty() && !rules.unsupported().isEmpty();
      // per port, the hostnames the route serves there (empty: any)
      Map<Integer, Set<String>> hostsByPort = new TreeMap<>();
      Set<Integer> anyHost = new java.util.HashSet<>();
      List<ParentVerdict> told = new ArrayList<>();
      for (ParentRef ref : refs) {
        Attachment a = attach(ref, route, in.namespaceLabels().getOrDefault(ns, Map.of()), gwNs, merged,
            listeners);
        if (!a.attached()) {
          told.add(new ParentVerdict(ref, a.reason(), a.message(), rules.refsReason(), rules.refsMessage(), partial));
          continue;
        }
        if (nothingServed) {
          told.add(new ParentVerdict(ref, "UnsupportedValue", partial, rules.refsReason(), rules.refsMessage(),
              null));
          continue;
        }
        told.add(new ParentVerdict(ref, "Accepted", "the route is accepted", rules.refsReason(), rules.refsMessage(),
            partial));
        a.listeners().forEach((l, hosts) -> {
          attached.get(l.key()).add(id);
          List<String> served = ListenerIsolation.hosts(l, hosts, listeners);
          if (served == null) {
            return;
          }
          hostsByPort.computeIfAbsent(l.port(), p -> new LinkedHashSet<>()).addAll(served);
          if (served.isEmpty()) {
            anyHost.add(l.port());
          }
        });
      }
      verdicts.put(route.resource(), told);
      if (told.stream().anyMatch(ParentVerdict::accepted)) {
        targeting.forEach(p -> policies.putIfAbsent(p, in.backendTls().verdict(p)));
      }
      for (Map.Entry<Integer, Set<String>> e : hostsByPort.entrySet()) {
        int port = e.getKey();
        if (!ports.containsKey(port)) {
          continue;
        }
        List<String> hosts = anyHost.contains(port) ? List.of() : List.copyOf(e.getValue());
        if (route.tcp()) {
          tcp.attach(port, route, rules);
        } else {
          routes.addAll(modelRoutes(route, rules, ports.get(port).name(), hosts));
        }
      }
      if (!route.tcp()) {
        rules.backends().forEach(backends::putIfAbsent);
      }
    }
    List<Route> boundaries = ListenerIsolation.boundaries(listeners, ports.keySet());
    if (!boundaries.isEmpty()) {
      routes.addAll(boundaries);
      backends.putIfAbsent(ListenerIsolation.NOT_FOUND.name(), ListenerIsolation.NOT_FOUND);
    }
    tcp.apply(ports, backends, in.refsIn().apply(gwNs));
    GatewayClientCertificate clientCertificate = GatewayClientCertificate.of(gw,
        ns -> in.refsIn().apply(ns).secrets(), in.grants());
    if (clientCertificate.secret() != null) {
      backends.replaceAll((name, b) -> b.tls() == null ? b : withClientCertificate(b, clientCertificate.secret()));
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    attached.forEach((name, ids) -> counts.put(name, ids.size()));
    LoadBalancerSpec spec = ports.isEmpty() || GatewayInfrastructure.refusesParameters(gw) ? null
        : new LoadBalancerSpec(null, List.copyOf(ports.values()), routes.isEmpty() ? null : routes,
            backends.isEmpty() ? null : List.copyOf(backends.values()), new DeploymentSpec(1, null, null, null),
            new ServiceSpec(ServiceType.ClusterIP, null, GatewayAddresses.of(gw).forService()),
            GatewayInfrastructure.of(gw));
    Map<String, Secret> copies = new TreeMap<>();
    listeners.stream().filter(CheckedListener::usable).forEach(l -> copies.putAll(l.copies()));
    copies.putAll(clientCertificate.copies());
    return new GatewayPlan(listeners, spec, counts, verdicts, spec == null ? Map.of() : copies, policies,
        clientCertificate, merged.sets());
  }

  /**
   * Where a route attaches through a parentRef: to the Gateway's own listeners, or to those of the ListenerSet it
   * names (whose {@code Same} namespace is the ListenerSet's), once the Gateway lets that ListenerSet attach.
   */
  private static Attachment attach(ParentRef ref, RouteInput route, Map<String, String> namespaceLabels, String gwNs,
      ListenerSets.Merged merged, List<CheckedListener> listeners) {
    ListenerSets.Judged set = merged.setNamed(ref, route.namespace());
    if (set != null && !set.allowed()) {
      return Attachment.refused("NotAllowedByListeners", set.set().describe() + " is not allowed to attach to its "
          + "Gateway");
    }
    ListenerOwner owner = set == null ? null : set.owner();
    List<CheckedListener> parents = listeners.stream().filter(l -> Objects.equals(l.owner(), owner))
        .toList();
    return RouteAttachments.attach(ref, route.kind(), route.namespace(), namespaceLabels, route.hostnames(),
        owner == null ? gwNs : owner.namespace(), parents);
  }

  /**
   * One model listener per port of the usable listeners; an HTTPS port needs at least one certificate, and one
   * shared by several listeners is split by their hostnames ({@link #sniHosts}); it validates client
   * certificates as the Gateway's {@code spec.tls.frontend} says for the port ({@link FrontendValidations}). A TLS
   * port with certificates terminates TLS (listeners of both TLS modes on one port conflict, so none is usable
   * there).
   */
  private static Map<Integer, Listener> modelListeners(List<CheckedListener> listeners,
      FrontendValidations frontend) {
    Map<Integer, Listener> out = new TreeMap<>();
    Map<Integer, List<String>> certs = new TreeMap<>();
    Set<Integer> terminating = new java.util.TreeSet<>();
    for (CheckedListener l : listeners) {
      if (!l.usable()) {
        continue;
      }
      if (ListenerChecks.terminatesTls(l.listener())) {
        terminating.add(l.port());
      }
      certs.computeIfAbsent(l.port(), p -> new ArrayList<>());
      l.certificateSecrets().stream().filter(s -> !certs.get(l.port()).contains(s)).forEach(certs.get(l.port())::add);
      out.putIfAbsent(l.port(), new Listener("port-" + l.port(), l.port(), Protocol.valueOf(l.listener().protocol()),
          null, null, null));
    }
    Map<Integer, Listener> served = new TreeMap<>();
    out.forEach((port, l) -> {
      if (terminating.contains(port)) {
        // Terminated: the listeners' certificates, chosen by SNI; no ALPN, no split by host (the SNI routes).
        // Without a usable certificate the port is not served: never passed through instead.
        if (!certs.get(port).isEmpty()) {
          served.put(port, new Listener(l.name(), port, Protocol.TLS, null, new ListenerTls(certs.get(port).stream()
              .map(s -> new CertificateRef(s, null, null)).toList(), null, null), null));
        }
      } else if (l.protocol() != Protocol.HTTPS) {
        served.put(port, l);
      } else if (!certs.get(port).isEmpty()) {
        served.put(port, new Listener(l.name(), port, Protocol.HTTPS, null, new ListenerTls(certs.get(port).stream()
            .map(s -> new CertificateRef(s, null, null)).toList(), null, null,
            frontend.forPort(port).clientCertificates(), sniHosts(listeners, port)),
            null));
      }
    });
    return served;
  }

  /**
   * The hostnames of the usable listeners on an HTTPS port, when there are several listeners: a request whose
   * Host selects another listener than its connection's SNI did is then answered 421. Null when not split.
   */
  private static List<String> sniHosts(List<CheckedListener> listeners, int port) {
    List<CheckedListener> here = listeners.stream().filter(l -> l.usable() && l.port() == port).toList();
    List<String> hosts = here.stream().map(l -> l.listener().hostname()).filter(h -> h != null && !h.isEmpty())
        .map(h -> h.toLowerCase(java.util.Locale.ROOT)).distinct().toList();
    return here.size() < 2 || hosts.isEmpty() ? null : hosts;
  }

  /** A TLS backend presenting the Gateway's client certificate ({@code spec.tls.backend}). */
  private static Backend withClientCertificate(Backend b, String secret) {
    BackendTls t = b.tls();
    return new Backend(b.name(), b.service(), b.endpoints(), b.balance(), b.healthCheck(),
        b.maxConnectionsPerEndpoint(), b.proxyProtocol(), b.protocol(), new BackendTls(t.caFile(), t.serverName(),
            t.subjectAltNames(), t.certificateFile(), t.keyFile(), t.insecureSkipVerify(), t.caCertificateRefs(),
            new SecretRef(secret), t.verifyServerName()), b.fixedResponse());
  }

  private static List<Route> modelRoutes(RouteInput route, RouteRules rules, String listener,
      List<String> hosts) {
    List<Route> out = new ArrayList<>();
    for (RouteRules.Rule rule : rules.rules()) {
      for (int m = 0; m < rule.matches().size(); m++) {
        RouteRules.Match match = rule.matches().get(m);
        String name = Labels.of(route.kind().toLowerCase(java.util.Locale.ROOT), route.namespace(), route.name(),
            rule.index(), m, listener);
        out.add(new Route(name, List.of(listener), hosts.isEmpty() ? null : hosts,
            match.path() == null ? null : List.of(match.path()),
            match.headers().isEmpty() ? null : match.headers(),
            match.queryParams().isEmpty() ? null : match.queryParams(),
            match.method() == null ? null : List.of(match.method()), rule.backends(), rule.rewrite(), rule.redirect(),
            rule.requestHeaders(), rule.responseHeaders(), rule.timeout(), null, rule.cors(), rule.mirrors(),
            rule.sessionPersistence()));
      }
    }
    return out;
  }
}
