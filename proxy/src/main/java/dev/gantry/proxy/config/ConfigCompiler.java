package dev.gantry.proxy.config;

import dev.gantry.model.Backend;
import dev.gantry.model.Durations;
import dev.gantry.model.Endpoint;
import dev.gantry.model.HeaderMatch;
import dev.gantry.model.Listener;
import dev.gantry.model.LoadBalancer;
import dev.gantry.model.LoadBalancerSpec;
import dev.gantry.model.Protocol;
import dev.gantry.model.Redirect;
import dev.gantry.model.Rewrite;
import dev.gantry.model.Route;
import dev.gantry.model.RouteBackend;
import dev.gantry.model.RouteMirror;
import dev.gantry.proxy.admin.ListenerStats;
import dev.gantry.proxy.admin.ProxyMetrics;
import dev.gantry.proxy.l4.PassthroughRoutes;
import dev.gantry.proxy.l4.RelayTarget;
import dev.gantry.proxy.l4.SniRouter;
import dev.gantry.proxy.l4.TlsRoute;
import dev.gantry.proxy.l7.Router;
import dev.gantry.proxy.tls.BackendTlsClient;
import dev.gantry.proxy.tls.BackendTlsCompiler;
import dev.gantry.proxy.tls.CertificateResolver;
import dev.gantry.proxy.tls.ServerTls;
import dev.gantry.proxy.tls.ServerTlsCompiler;
import dev.gantry.proxy.tls.TlsEngine;
import dev.gantry.proxy.upstream.BackendState;
import dev.gantry.proxy.upstream.EndpointState;
import dev.gantry.proxy.upstream.UpstreamRegistry;
import dev.gantry.proxy.upstream.WeightedSequence;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns validated {@link LoadBalancer} documents into a {@link CompiledConfig}. Runs off the event loops:
 * it resolves host names of static endpoints, reads and checks certificates, and builds every lookup table
 * and TLS context up front.
 */
public final class ConfigCompiler {

  /** Retries of a failed connect, when a route does not say. */
  public static final int DEFAULT_RETRIES = 2;

  private static final Logger LOG = LoggerFactory.getLogger(ConfigCompiler.class);

  private final ProxyMetrics metrics;
  private final UpstreamRegistry registry;
  private final ServerTlsCompiler tls;
  private final BackendTlsCompiler backendTls;

  /** A compiler using the TLS engine detected on this machine. */
  public ConfigCompiler(ProxyMetrics metrics, UpstreamRegistry registry) {
    this(metrics, registry, new ServerTlsCompiler(TlsEngine.select("auto")));
  }

  public ConfigCompiler(ProxyMetrics metrics, UpstreamRegistry registry, ServerTlsCompiler tls) {
    this.metrics = metrics;
    this.registry = registry;
    this.tls = tls;
    this.backendTls = new BackendTlsCompiler(tls.engine());
  }

  /** Compiles documents that passed validation; certificate files are read relative to the working directory. */
  public CompiledConfig compile(List<LoadBalancer> loadBalancers, long generation) {
    return compile(loadBalancers, generation, CertificateResolver.files(Path.of("")));
  }

  /**
   * Compiles documents that passed validation, reading their certificates through {@code certificates}.
   *
   * @throws ConfigRejectedException when a certificate cannot be used; every such problem is listed
   */
  public CompiledConfig compile(List<LoadBalancer> loadBalancers, long generation, CertificateResolver certificates) {
    tls.beginGeneration();
    backendTls.beginGeneration();
    List<String> problems = new ArrayList<>();
    Map<Integer, ListenerRuntime> byPort = new LinkedHashMap<>();
    List<BackendRuntime> allBackends = new ArrayList<>();
    for (LoadBalancer lb : loadBalancers) {
      for (ListenerRuntime l : compile(lb, certificates, problems, allBackends)) {
        byPort.put(l.port(), l);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigRejectedException(problems);
    }
    tls.commitGeneration();
    backendTls.commitGeneration();
    return new CompiledConfig(generation, List.copyOf(loadBalancers), Map.copyOf(byPort),
        List.copyOf(allBackends));
  }

  private List<ListenerRuntime> compile(LoadBalancer lb, CertificateResolver certificates, List<String> problems,
      List<BackendRuntime> allBackends) {
    String lbId = lb.id();
    LoadBalancerSpec spec = lb.spec();
    ListenerTimeouts timeouts = ListenerTimeouts.of(spec.timeoutsOrDefault());
    Map<String, Backend> models = new HashMap<>();
    Map<String, BackendRuntime> backends = new HashMap<>();
    for (Backend b : spec.backendsOrEmpty()) {
      models.put(b.name(), b);
      BackendTlsClient client = backendTls.compile(lbId, b, certificates,
          problem -> problems.add("LoadBalancer " + lbId + ", " + problem));
      BackendRuntime compiled = compileBackend(lbId, b, timeouts.connectMillis(), client);
      backends.put(b.name(), compiled);
      allBackends.add(compiled);
    }
    Map<String, Integer> portsByName = new HashMap<>();
    spec.listenersOrEmpty().forEach(l -> portsByName.put(l.name(), l.port()));

    List<ListenerRuntime> out = new ArrayList<>();
    for (Listener listener : spec.listenersOrEmpty()) {
      ListenerStats stats = metrics.listenerStats(lbId, listener.name());
      ServerTls serverTls = null;
      if (listener.protocol() == Protocol.HTTPS || listener.tls() != null) {
        String where = "LoadBalancer " + lbId + ", listener \"" + listener.name() + "\", ";
        serverTls = tls.compile(lbId, listener, certificates, metrics.tlsStats(lbId, listener.name()),
            problem -> problems.add(where + problem));
        if (serverTls == null) {
          continue;
        }
      }
      if (!listener.protocol().isHttp()) {
        out.add(new ListenerRuntime(lbId, listener.name(), listener.port(), listener.protocol(), Router.EMPTY, null,
            timeouts, -1, stats, serverTls, passthrough(lbId, listener, spec.routesOrEmpty(), models, backends)));
        continue;
      }
      Router.Builder router = new Router.Builder();
      List<Route> routes = spec.routesOrEmpty();
      for (int i = 0; i < routes.size(); i++) {
        Route r = routes.get(i);
        if (attaches(r, listener)) {
          router.add(compileRoute(lbId, listener.name(), r, i, backends), r.hostsOrEmpty(), r.pathsOrEmpty());
        }
      }
      RouteTarget defaultTarget = listener.defaultBackend() == null ? null
          : target(lbId, listener.name(), "", backends.get(listener.defaultBackend()), HeaderEdits.NONE);
      int redirectPort = listener.redirectToHttps() == null ? -1 : portsByName.get(listener.redirectToHttps());
      out.add(new ListenerRuntime(lbId, listener.name(), listener.port(), listener.protocol(), router.build(),
          defaultTarget, timeouts, redirectPort, stats, serverTls, null));
    }
    return out;
  }

  /** Where a TCP or TLS listener sends connections: by SNI through the routes attached to it, else its default. */
  private PassthroughRoutes passthrough(String lbId, Listener listener, List<Route> routes,
      Map<String, Backend> models, Map<String, BackendRuntime> backends) {
    record Weighted(RelayTarget target, int weight) {
    }
    SniRouter.Builder router = new SniRouter.Builder();
    if (listener.protocol() == Protocol.TLS) {
      for (Route r : routes) {
        if (!attaches(r, listener)) {
          continue;
        }
        List<Weighted> weighted = new ArrayList<>();
        for (RouteBackend rb : r.backendsOrEmpty()) {
          weighted.add(new Weighted(relayTarget(lbId, listener, models.get(rb.name()), backends.get(rb.name())),
              rb.weightOrDefault()));
        }
        WeightedSequence<Weighted> sequence = WeightedSequence.of(weighted, Weighted::weight);
        router.add(new TlsRoute(r.name(), sequence == null ? null : sequence.map(Weighted::target)),
            r.hostsOrEmpty());
      }
    }
    String fallback = listener.defaultBackend();
    RelayTarget defaultTarget = fallback == null ? null
        : relayTarget(lbId, listener, models.get(fallback), backends.get(fallback));
    return new PassthroughRoutes(router.build(), defaultTarget);
  }

  private RelayTarget relayTarget(String lbId, Listener listener, Backend model, BackendRuntime backend) {
    return new RelayTarget(backend, model.proxyProtocolOrDefault(),
        metrics.relayStats(lbId, listener.name(), backend.name()));
  }

  /** A route serves the listeners it names, or else every listener whose protocol it fits. */
  static boolean attaches(Route route, Listener listener) {
    if (!route.listenersOrEmpty().isEmpty()) {
      return route.listenersOrEmpty().contains(listener.name());
    }
    Protocol p = listener.protocol();
    return p.isHttp() || (p == Protocol.TLS && !route.needsHttp());
  }

  private RouteRuntime compileRoute(String lbId, String listener, Route r, int order,
      Map<String, BackendRuntime> backends) {
    record Weighted(RouteTarget target, int weight) {
    }
    List<Weighted> weighted = new ArrayList<>();
    for (RouteBackend rb : r.backendsOrEmpty()) {
      weighted.add(new Weighted(target(lbId, listener, r.name(), backends.get(rb.name()),
          HeaderEdits.of(rb.requestHeaders())), rb.weightOrDefault()));
    }
    WeightedSequence<Weighted> sequence = WeightedSequence.of(weighted, Weighted::weight);
    List<RouteRuntime.HeaderCondition> headers = new ArrayList<>();
    for (HeaderMatch h : r.headersOrEmpty()) {
      headers.add(new RouteRuntime.HeaderCondition(AsciiString.of(h.name()), h.value()));
    }
    List<QueryCondition> queries = r.queryParamsOrEmpty().stream()
        .map(q -> new QueryCondition(q.name(), q.value())).toList();
    long timeoutNanos = r.timeout() == null ? -1 : Durations.parse(r.timeout()).toNanos();
    int retries = r.retries() == null ? DEFAULT_RETRIES : r.retries();
    Rewrite w = r.rewrite();
    Redirect d = r.redirect();
    return new RouteRuntime(r.name(), order, headers, queries, r.methodsOrEmpty(),
        sequence == null ? null : sequence.map(Weighted::target),
        w == null ? null : new RouteRewrite(w.host(), w.path(), w.pathPrefix()),
        d == null ? null : new RouteRedirect(HttpResponseStatus.valueOf(d.statusOrDefault()), d.scheme(), d.host(),
            d.port() == null ? -1 : d.port(), d.path(), d.pathPrefix()),
        HeaderEdits.of(r.requestHeaders()), HeaderEdits.of(r.responseHeaders()), timeoutNanos, retries,
        CorsPolicy.of(r.cors()), mirrors(lbId, listener, r, backends), SessionAffinity.of(r, lbId,
            weighted.stream().filter(t -> t.weight() > 0).map(Weighted::target).toList()));
  }

  private List<MirrorTarget> mirrors(String lbId, String listener, Route r, Map<String, BackendRuntime> backends) {
    List<MirrorTarget> out = new ArrayList<>();
    for (RouteMirror m : r.mirrorsOrEmpty()) {
      BackendRuntime backend = backends.get(m.backend());
      out.add(new MirrorTarget(backend, MirrorTarget.threshold(m.percentOrDefault()),
          metrics.mirroredRequests(lbId, listener, r.name(), backend.name(), "sent"),
          metrics.mirroredRequests(lbId, listener, r.name(), backend.name(), "dropped")));
    }
    return out;
  }

  private RouteTarget target(String lbId, String listener, String route, BackendRuntime backend,
      HeaderEdits requestEdits) {
    return new RouteTarget(backend, metrics.requestCounters(lbId, listener, route, backend.name()), requestEdits);
  }

  private BackendRuntime compileBackend(String lbId, Backend b, long connectMillis, BackendTlsClient tlsClient) {
    List<EndpointRuntime> endpoints = new ArrayList<>();
    for (Endpoint e : b.endpointsOrEmpty()) {
      String label = e.address() + ":" + e.port();
      try {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(e.address()), e.port());
        EndpointState state = registry.endpoint(lbId, b.name(), label);
        state.setMaxActive(b.maxConnectionsPerEndpointOrDefault());
        metrics.endpoint(lbId, b.name(), label, state);
        endpoints.add(new EndpointRuntime(address, e.weightOrDefault(), label,
            metrics.connectFailures(lbId, b.name(), label), state, tlsClient, b.protocolOrDefault().isHttp2()));
      } catch (UnknownHostException ex) {
        LOG.warn("LoadBalancer({}) backend {}: endpoint {} left out: cannot resolve {}",
            lbId, b.name(), label, e.address());
      }
    }
    BackendState state = registry.backend(lbId, b.name());
    metrics.backend(lbId, b.name(), state);
    String[] reasons = java.util.Arrays.stream(BackendRuntime.RetryReason.values())
        .map(BackendRuntime.RetryReason::label).toArray(String[]::new);
    return new BackendRuntime(lbId, b.name(), b.balanceOrDefault(), endpoints, b.healthCheck(), connectMillis, state,
        metrics.retryCounters(lbId, b.name(), reasons),
        metrics.queueRejected(lbId, b.name(), "full"), metrics.queueRejected(lbId, b.name(), "timeout"), tlsClient,
        b.protocolOrDefault().isHttp2(),
        b.fixedResponse() == null ? null : HttpResponseStatus.valueOf(b.fixedResponse().status()));
  }
}
