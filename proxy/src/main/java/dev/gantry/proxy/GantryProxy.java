package dev.gantry.proxy;

import dev.gantry.model.LoadBalancer;
import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.admin.AdminServer;
import dev.gantry.proxy.admin.BackendsPage;
import dev.gantry.proxy.admin.ServedPage;
import dev.gantry.proxy.health.HealthChecker;
import dev.gantry.proxy.admin.MetricsRegistry;
import dev.gantry.proxy.admin.ProxyMetrics;
import dev.gantry.proxy.config.ActiveConfig;
import dev.gantry.proxy.config.BackendRuntime;
import dev.gantry.proxy.config.EndpointRuntime;
import dev.gantry.proxy.upstream.UpstreamRegistry;
import java.util.HashSet;
import java.util.Set;
import dev.gantry.proxy.config.CompiledConfig;
import dev.gantry.proxy.config.ConfigCompiler;
import dev.gantry.proxy.config.ConfigRejectedException;
import dev.gantry.proxy.pipeline.ConnectionLimit;
import dev.gantry.proxy.pipeline.ListenerBindException;
import dev.gantry.proxy.pipeline.ListenerManager;
import dev.gantry.proxy.pipeline.Transport;
import dev.gantry.proxy.pipeline.Upstreams;
import dev.gantry.proxy.tls.CertificateResolver;
import dev.gantry.proxy.tls.ServerTlsCompiler;
import dev.gantry.proxy.tls.TlsEngine;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running proxy: event loops, listeners, backend pools and the admin port. Configurations come from
 * outside (a file, or the Kubernetes API) through {@link #apply}; each is compiled off the event loops and
 * swapped in whole.
 */
public final class GantryProxy implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GantryProxy.class);
  /** Per-connection write buffer: above the high mark the other side stops being read. */
  private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 128 * 1024);
  /** System property choosing the TLS engine: {@code auto} (default), {@code openssl} or {@code jdk}. */
  public static final String TLS_ENGINE_PROPERTY = "gantry.tls.engine";

  private final Transport transport;
  private final EventLoopGroup workers;
  private final EventLoopGroup adminGroup;
  private final ProxyMetrics metrics;
  private final ConfigCompiler compiler;
  private final UpstreamRegistry registry = new UpstreamRegistry();
  private final ActiveConfig active = new ActiveConfig();
  private final ListenerManager listeners;
  private final AccessLog accessLog;
  private final AdminServer admin;
  private final HealthChecker healthChecker;
  private long generation;
  private volatile boolean stopping;

  private GantryProxy(ProxyOptions options, AccessLog accessLog) throws InterruptedException, ListenerBindException {
    this.transport = Transport.select(options.transport());
    this.accessLog = accessLog;
    this.workers = transport.newGroup(options.effectiveThreads(), "gantry-io");
    this.adminGroup = transport.newGroup(1, "gantry-admin");
    this.metrics = new ProxyMetrics(new MetricsRegistry());
    TlsEngine tls = TlsEngine.select(System.getProperty(TLS_ENGINE_PROPERTY, "auto"));
    this.compiler = new ConfigCompiler(metrics, registry, new ServerTlsCompiler(tls));
    Upstreams upstreams = new Upstreams(workers, transport, WATER_MARK);
    ConnectionLimit connectionLimit = new ConnectionLimit(options.maxConnections(), metrics.connectionLimitReached());
    metrics.accepting(connectionLimit::accepting);
    this.listeners = new ListenerManager(workers, transport, options.bindAddress(), active, upstreams, accessLog,
        WATER_MARK, connectionLimit);
    this.admin = options.adminPort() < 0 ? null : startAdmin(options);
    this.healthChecker = new HealthChecker(adminGroup.next(), transport.socketChannelClass());
    LOG.info("proxy started: {} transport, {} event loop thread(s), TLS by {}, at most {} client connections{}",
        transport.name(), options.effectiveThreads(), tls.description(), connectionLimit.max(),
        admin == null ? "" : ", admin port " + admin.port());
  }

  /**
   * Starts the event loops and the admin port; listeners come with {@link #apply}.
   *
   * @throws ListenerBindException when the admin port cannot be bound (nothing is left running)
   */
  public static GantryProxy start(ProxyOptions options, AccessLog accessLog)
      throws InterruptedException, ListenerBindException {
    return new GantryProxy(options, accessLog);
  }

  private AdminServer startAdmin(ProxyOptions options) throws InterruptedException, ListenerBindException {
    try {
      return AdminServer.start(adminGroup, transport.serverChannelClass(), options.adminAddress(),
          options.adminPort(), metrics.registry(), this::ready,
          Map.of("/backends", () -> BackendsPage.render(active.current()), "/served", this::servedJson));
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      adminGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new ListenerBindException("cannot listen on " + options.adminAddress() + ":" + options.adminPort()
          + " (the admin port): " + e.getMessage() + "; choose another with --admin-port, or -1 for none", e);
    }
  }

  /**
   * Serves {@code loadBalancers} (already validated), with certificate files relative to the working
   * directory. See {@link #apply(List, CertificateResolver, String)}.
   */
  public CompiledConfig apply(List<LoadBalancer> loadBalancers, String reason) throws ListenerBindException {
    return apply(loadBalancers, CertificateResolver.files(Path.of("")), reason);
  }

  /**
   * Serves {@code loadBalancers} (already validated) from now on. Open connections keep working; new
   * ports are bound before the swap and removed ports closed after it.
   *
   * @param certificates where the PEM text of HTTPS listeners' certificates comes from
   * @param reason why the configuration changed, for the log
   * @throws ListenerBindException when a new port cannot be bound; the previous configuration stays
   * @throws ConfigRejectedException when a certificate cannot be used; the previous configuration stays
   */
  public synchronized CompiledConfig apply(List<LoadBalancer> loadBalancers, CertificateResolver certificates,
      String reason) throws ListenerBindException {
    long started = System.nanoTime();
    CompiledConfig next;
    try {
      next = compiler.compile(loadBalancers, generation + 1, certificates);
      listeners.apply(next);
    } catch (ListenerBindException | ConfigRejectedException e) {
      metrics.reloadFailed();
      throw e;
    }
    generation = next.generation();
    forgetRemovedBackends(next);
    healthChecker.reconcile(next);
    metrics.reloadSucceeded(generation);
    LOG.info("configuration {} applied ({}): {} load balancer(s), {} listener(s), in {} ms", generation, reason,
        loadBalancers.size(), next.listeners().size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    return next;
  }

  /** Live state and metric series of endpoints and backends no longer configured are dropped. */
  private void forgetRemovedBackends(CompiledConfig config) {
    Set<String> backendKeys = new HashSet<>();
    Set<String> endpointKeys = new HashSet<>();
    Set<List<String>> backendLabels = new HashSet<>();
    Set<List<String>> endpointLabels = new HashSet<>();
    for (BackendRuntime b : config.backends()) {
      backendKeys.add(UpstreamRegistry.backendKey(b.lbId(), b.name()));
      backendLabels.add(List.of(b.lbId(), b.name()));
      for (EndpointRuntime e : b.endpoints()) {
        endpointKeys.add(UpstreamRegistry.endpointKey(b.lbId(), b.name(), e.label()));
        endpointLabels.add(List.of(b.lbId(), b.name(), e.label()));
      }
    }
    registry.retainOnly(backendKeys, endpointKeys);
    metrics.retain(endpointLabels, backendLabels);
  }

  /** Counts a configuration that was rejected before it reached {@link #apply}. */
  public void rejected() {
    metrics.reloadFailed();
  }

  public CompiledConfig current() {
    return active.current();
  }

  /** Serving a configuration, and not on the way out (see {@link #shutdown}). */
  public boolean ready() {
    return !stopping && active.current().generation() > 0;
  }

  /** What {@code GET /served} on the admin port answers; see {@link ServedPage}. */
  public String servedJson() {
    return ServedPage.render(active.current());
  }

  public MetricsRegistry metrics() {
    return metrics.registry();
  }

  /** The admin port, or -1 when disabled. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  /**
   * Leaves the way a server leaves a load balancer's pool: reports not ready at once, goes on serving
   * everything for {@code delay} while the clients' routing stops sending new connections (Kubernetes takes
   * a terminating pod out of its Services' endpoints only moments later), then stops accepting, lets the
   * open exchanges finish for up to {@code drainTimeout}, and closes.
   */
  public void shutdown(Duration delay, Duration drainTimeout) {
    stopping = true;
    if (!delay.isZero()) {
      LOG.info("shutting down: not ready, still serving for {} ms", delay.toMillis());
      sleep(delay.toMillis());
    }
    listeners.stopAccepting();
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    while (listeners.openConnections() > 0 && System.nanoTime() < deadline) {
      sleep(50);
    }
    int left = listeners.openConnections();
    if (left > 0) {
      LOG.info("shutting down: {} connection(s) still open after {} ms are closed", left, drainTimeout.toMillis());
    }
    close();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    healthChecker.stop();
    listeners.closeAll();
    if (admin != null) {
      admin.close();
    }
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    adminGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    accessLog.close();
  }
}
