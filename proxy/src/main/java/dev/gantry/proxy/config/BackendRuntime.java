package dev.gantry.proxy.config;

import dev.gantry.model.Balance;
import dev.gantry.model.HealthCheck;
import dev.gantry.proxy.admin.Counter;
import dev.gantry.proxy.tls.BackendTlsClient;
import dev.gantry.proxy.upstream.Balancer;
import dev.gantry.proxy.upstream.BackendState;
import dev.gantry.proxy.upstream.PassiveHealth;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compiled backend: its endpoints, the balancer over them, its live state (the request queue) and what
 * passive health does with failures. Immutable apart from that live state; shared by every event loop.
 */
public final class BackendRuntime {

  /** Why a request was retried, as {@code gantry_backend_retries_total} labels it. */
  public enum RetryReason {
    CONNECT, RESET, STATUS;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(BackendRuntime.class);

  private final String lbId;
  private final String name;
  private final Balance balance;
  private final List<EndpointRuntime> endpoints;
  private final Balancer<EndpointRuntime> balancer;
  private final HealthCheck healthCheck;
  private final long connectTimeoutMillis;
  private final BackendState state;
  private final Counter[] retries;
  private final Counter queueFull;
  private final Counter queueTimeout;
  private final BackendTlsClient tls;
  private final boolean http2;
  private final HttpResponseStatus fixedResponse;

  /** @param fixedResponse the status the proxy answers itself for this backend, or null when it proxies */
  public BackendRuntime(String lbId, String name, Balance balance, List<EndpointRuntime> endpoints,
      HealthCheck healthCheck, long connectTimeoutMillis, BackendState state, Counter[] retries, Counter queueFull,
      Counter queueTimeout, BackendTlsClient tls, boolean http2, HttpResponseStatus fixedResponse) {
    this.fixedResponse = fixedResponse;
    this.tls = tls;
    this.http2 = http2;
    this.lbId = lbId;
    this.name = name;
    this.balance = balance;
    this.endpoints = List.copyOf(endpoints);
    this.balancer = Balancer.of(balance, this.endpoints);
    this.healthCheck = healthCheck;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.state = state;
    this.retries = retries;
    this.queueFull = queueFull;
    this.queueTimeout = queueTimeout;
  }

  public String name() {
    return name;
  }

  public String lbId() {
    return lbId;
  }

  public Balance balance() {
    return balance;
  }

  public List<EndpointRuntime> endpoints() {
    return endpoints;
  }

  /** The active health check, or null when the backend has none. */
  public HealthCheck healthCheck() {
    return healthCheck;
  }

  public BackendState state() {
    return state;
  }

  /** The TLS client of a {@code protocol: TLS} backend, else null. */
  public BackendTlsClient tls() {
    return tls;
  }

  /** The status the proxy answers every request to this backend with, or null when the backend proxies. */
  public HttpResponseStatus fixedResponse() {
    return fixedResponse;
  }

  /** Whether the backend speaks HTTP/2 (protocol H2C or H2): health checks then speak it too. */
  public boolean http2() {
    return http2;
  }

  /**
   * The endpoint for the next request or connection from {@code client} (used by hash-based balancing),
   * among those available with a free slot; null when none is.
   */
  public EndpointRuntime pick(InetAddress client) {
    return balancer.pick(client, System.nanoTime());
  }

  /** Whether some endpoint could take traffic if it had a free slot: if so, waiting in the queue makes sense. */
  public boolean anyAvailable() {
    long now = System.nanoTime();
    for (EndpointRuntime e : endpoints) {
      if (e.weight() > 0 && e.state().available(now)) {
        return true;
      }
    }
    return false;
  }

  public long connectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  /** A request refused because the queue was full ({@code timedOut} false) or because it waited too long. */
  public void queueRejected(boolean timedOut) {
    (timedOut ? queueTimeout : queueFull).increment();
  }

  public void retried(RetryReason reason) {
    retries[reason.ordinal()].increment();
  }

  /** A request or connection through {@code e} worked. */
  public void succeeded(EndpointRuntime e) {
    e.state().succeeded();
  }

  /** A request or connection through {@code e} failed: eject it if its failure streak is long enough. */
  public void failed(EndpointRuntime e) {
    int streak = e.state().failed();
    if (streak < PassiveHealth.CONSECUTIVE_FAILURES) {
      return;
    }
    long now = System.nanoTime();
    int ejected = 0;
    int eligible = 0;
    for (EndpointRuntime other : endpoints) {
      if (other.weight() > 0) {
        eligible++;
        if (other.state().ejected(now)) {
          ejected++;
        }
      }
    }
    if (e.state().ejected(now) || ejected >= PassiveHealth.maxEjected(eligible)) {
      return;
    }
    PassiveHealth.eject(e.state(), now);
    LOG.warn("LoadBalancer({}) backend {}: endpoint {} ejected for {} ms after {} failures in a row",
        lbId, name, e.label(), e.state().ejectedForMillis(now), streak);
  }
}
