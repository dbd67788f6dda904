package dev.gantry.operator.translate;

import dev.gantry.model.Listener;
import dev.gantry.model.ServiceType;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fleet's Service: of the requested type (LoadBalancer by default), one port per listener, with the cluster IPs
 * {@code spec.service.addresses} asks for (whatever the type: a Service of type LoadBalancer gets its external
 * address from the cloud, and {@code loadBalancerIP} is deprecated, so it is not set).
 */
public final class ServiceManifest {

  private ServiceManifest() {
  }

  public static Service service(FleetPlan plan) {
    FleetNames names = plan.names();
    ServiceType type = plan.service().type() == null ? ServiceType.LoadBalancer : plan.service().type();
    List<String> addresses = plan.service().addressesOrEmpty();
    return new ServiceBuilder()
        .withNewMetadata()
          .withName(names.service())
          .withNamespace(names.namespace())
          .withLabels(plan.labels())
          .withAnnotations(plan.annotations(plan.service().annotations() == null ? Map.of()
              : plan.service().annotations()))
        .endMetadata()
        .withNewSpec()
          .withType(type.name())
          .withClusterIP(addresses.isEmpty() ? null : addresses.get(0))
          .withClusterIPs(addresses.isEmpty() ? null : addresses)
          .withIpFamilyPolicy(addresses.size() > 1 ? "RequireDualStack" : null)
          .withSelector(names.selector())
          .withPorts(ports(plan.listeners()))
        .endSpec()
        .build();
  }

  /**
   * Whether the Service's cluster IPs differ from those the plan asks for: they cannot be changed in place, so the
   * Service is replaced. A plan asking for none keeps whatever the Service has.
   */
  public static boolean addressesChange(Service actual, FleetPlan plan) {
    List<String> wanted = plan.service().addressesOrEmpty();
    if (wanted.isEmpty() || actual.getSpec() == null) {
      return false;
    }
    List<String> ips = actual.getSpec().getClusterIPs();
    if (ips == null || ips.isEmpty()) {
      ips = actual.getSpec().getClusterIP() == null ? List.of() : List.of(actual.getSpec().getClusterIP());
    }
    return !wanted.equals(ips);
  }

  private static List<ServicePort> ports(List<Listener> listeners) {
    List<ServicePort> ports = new ArrayList<>();
    for (Listener l : listeners) {
      ports.add(new ServicePortBuilder()
          .withName(l.name())
          .withPort(l.port())
          .withTargetPort(new IntOrString(l.port()))
          .withProtocol("TCP")
          .build());
    }
    return ports;
  }
}
