package dev.gantry.proxy;

import dev.gantry.model.LoadBalancer;
import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.admin.AdminServer;
import dev.gantry.proxy.admin.MetricsRegistry;
import dev.gantry.proxy.admin.ProxyMetrics;
import dev.gantry.proxy.config.ActiveConfig;
import dev.gantry.proxy.config.CompiledConfig;
import dev.gantry.proxy.config.ConfigCompiler;
import dev.gantry.proxy.config.ConfigRejectedException;
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
import java.util.List;
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
  private final ActiveConfig active = new ActiveConfig();
  private final ListenerManager listeners;
  private final AccessLog accessLog;
  private final AdminServer admin;
  private long generation;

  private GantryProxy(ProxyOptions options, AccessLog accessLog) throws InterruptedException {
    this.transport = Transport.select(options.transport());
    this.accessLog = accessLog;
    this.workers = transport.newGroup(options.effectiveThreads(), "gantry-io");
    this.adminGroup = transport.newGroup(1, "gantry-admin");
    this.metrics = new ProxyMetrics(new MetricsRegistry());
    TlsEngine tls = TlsEngine.select(System.getProperty(TLS_ENGINE_PROPERTY, "auto"));
    this.compiler = new ConfigCompiler(metrics, new ServerTlsCompiler(tls));
    Upstreams upstreams = new Upstreams(workers, transport, WATER_MARK);
    this.listeners = new ListenerManager(workers, transport, options.bindAddress(), active, upstreams, accessLog,
        WATER_MARK);
    this.admin = options.adminPort() < 0 ? null : AdminServer.start(adminGroup, transport.serverChannelClass(),
        options.adminAddress(), options.adminPort(), metrics.registry(), this::ready);
    LOG.info("proxy started: {} transport, {} event loop thread(s), TLS by {}{}", transport.name(),
        options.effectiveThreads(), tls.description(), admin == null ? "" : ", admin port " + admin.port());
  }

  public static GantryProxy start(ProxyOptions options, AccessLog accessLog) throws InterruptedException {
    return new GantryProxy(options, accessLog);
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
    metrics.reloadSucceeded(generation);
    LOG.info("configuration {} applied ({}): {} load balancer(s), {} listener(s), in {} ms", generation, reason,
        loadBalancers.size(), next.listeners().size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    return next;
  }

  /** Counts a configuration that was rejected before it reached {@link #apply}. */
  public void rejected() {
    metrics.reloadFailed();
  }

  public CompiledConfig current() {
    return active.current();
  }

  public boolean ready() {
    return active.current().generation() > 0;
  }

  public MetricsRegistry metrics() {
    return metrics.registry();
  }

  /** The admin port, or -1 when disabled. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  @Override
  public void close() {
    listeners.closeAll();
    if (admin != null) {
      admin.close();
    }
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    adminGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    accessLog.close();
  }
}
