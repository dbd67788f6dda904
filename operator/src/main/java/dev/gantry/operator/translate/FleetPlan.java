package dev.gantry.operator.translate;

import dev.gantry.model.DeploymentSpec;
import dev.gantry.model.Infrastructure;
import dev.gantry.model.Listener;
import dev.gantry.model.LoadBalancerSpec;
import dev.gantry.model.ServiceSpec;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the fleet's objects are computed from, for one reconciliation of one load balancer: made once
 * by the reconciler, read by every dependent resource.
 */
public record FleetPlan(FleetNames names, long generation, LoadBalancerSpec spec, Resolution resolution,
    FleetSettings settings, boolean hostPorts) {

  /**
   * On a LoadBalancer, asks for the fleet to bind its listener ports on the nodes its pods run on (hostPort),
   * the way k3s's ServiceLB does: how Services of type LoadBalancer are exposed without a cloud.
   */
  public static final String HOST_PORTS_ANNOTATION = "gantry.dev/expose";
  public static final String HOST_PORTS_VALUE = "host-ports";

  /** The key of the plan in the reconciliation's context. */
  public static final String KEY = "gantry.fleet-plan";

  /** The listeners the fleet serves: those of the resolved model. */
  public List<Listener> listeners() {
    return resolution.servable() ? resolution.model().spec().listenersOrEmpty() : List.of();
  }

  public int replicas() {
    DeploymentSpec d = spec.deployment();
    return d == null || d.replicas() == null ? FleetSettings.DEFAULT_REPLICAS : d.replicas();
  }

  public DeploymentSpec deployment() {
    return spec.deployment() == null ? new DeploymentSpec(null, null, null, null) : spec.deployment();
  }

  /** The labels of every object of the fleet: the infrastructure's, then the operator's own. */
  public Map<String, String> labels() {
    Map<String, String> out = new TreeMap<>(infrastructure().labelsOrEmpty());
    out.putAll(names.labels());
    return out;
  }

  /** The annotations of every object of the fleet, then {@code own} (which win). */
  public Map<String, String> annotations(Map<String, String> own) {
    Map<String, String> out = new TreeMap<>(infrastructure().annotationsOrEmpty());
    out.putAll(own);
    return out;
  }

  public Infrastructure infrastructure() {
    return spec.infrastructure() == null ? new Infrastructure(null, null) : spec.infrastructure();
  }

  public ServiceSpec service() {
    return spec.service() == null ? new ServiceSpec(null, null) : spec.service();
  }
}
