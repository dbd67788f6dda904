package dev.gantry.operator.translate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;

/**
 * What a load balancer references in its namespace, as the operator's caches see it now: Services by name,
 * their EndpointSlices by Service name, Secrets and ConfigMaps by name. Absent keys are objects that do not
 * exist.
 */
public record ClusterRefs(Map<String, Service> services, Map<String, List<EndpointSlice>> endpointSlices,
    Map<String, Secret> secrets, Map<String, ConfigMap> configMaps) {

  public static final ClusterRefs NONE = new ClusterRefs(Map.of(), Map.of(), Map.of());

  public ClusterRefs {
    services = Map.copyOf(services);
    endpointSlices = Map.copyOf(endpointSlices);
    secrets = Map.copyOf(secrets);
    configMaps = Map.copyOf(configMaps);
  }

  /** Without ConfigMaps. */
  public ClusterRefs(Map<String, Service> services, Map<String, List<EndpointSlice>> endpointSlices,
      Map<String, Secret> secrets) {
    this(services, endpointSlices, secrets, Map.of());
  }

  public List<EndpointSlice> slicesOf(String service) {
    return endpointSlices.getOrDefault(service, List.of());
  }
}
