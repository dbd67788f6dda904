package dev.gantry.proxy.config;

import dev.gantry.proxy.upstream.WeightedSequence;
import java.util.List;

/** A compiled backend: its endpoints and the balancer over them. Immutable; shared by every event loop. */
public final class BackendRuntime {

  private final String name;
  private final List<EndpointRuntime> endpoints;
  private final WeightedSequence<EndpointRuntime> balancer;
  private final long connectTimeoutMillis;

  public BackendRuntime(String name, List<EndpointRuntime> endpoints, long connectTimeoutMillis) {
    this.name = name;
    this.endpoints = List.copyOf(endpoints);
    this.balancer = WeightedSequence.of(this.endpoints, EndpointRuntime::weight);
    this.connectTimeoutMillis = connectTimeoutMillis;
  }

  public String name() {
    return name;
  }

  public List<EndpointRuntime> endpoints() {
    return endpoints;
  }

  /**
   * The endpoint for the next request or connection from {@code client} (used by hash-based balancing),
   * or null when no endpoint can take traffic.
   */
  public EndpointRuntime pick(java.net.InetAddress client) {
    return balancer == null ? null : balancer.next();
  }

  public long connectTimeoutMillis() {
    return connectTimeoutMillis;
  }
}
