package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The desired load balancer: listeners (frontends), routes, backends and their defaults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoadBalancerSpec(
    Timeouts timeouts,
    List<Listener> listeners,
    List<Route> routes,
    List<Backend> backends,
    DeploymentSpec deployment,
    ServiceSpec service,
    Infrastructure infrastructure) {

  /** Without labels and annotations of its own on the fleet's objects. */
  public LoadBalancerSpec(Timeouts timeouts, List<Listener> listeners, List<Route> routes, List<Backend> backends,
      DeploymentSpec deployment, ServiceSpec service) {
    this(timeouts, listeners, routes, backends, deployment, service, null);
  }


  public Timeouts timeoutsOrDefault() {
    return timeouts == null ? Timeouts.DEFAULTS : timeouts;
  }

  public List<Listener> listenersOrEmpty() {
    return listeners == null ? List.of() : listeners;
  }

  public List<Route> routesOrEmpty() {
    return routes == null ? List.of() : routes;
  }

  public List<Backend> backendsOrEmpty() {
    return backends == null ? List.of() : backends;
  }
}
