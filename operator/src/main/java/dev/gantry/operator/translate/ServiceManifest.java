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

/** The fleet's Service: of the requested type (LoadBalancer by default), one port per listener. */
public final class ServiceManifest {

  private ServiceManifest() {
  }

  public static Service service(FleetPlan plan) {
    FleetNames names = plan.names();
    ServiceType type = plan.service().type() == null ? ServiceType.LoadBalancer : plan.service().type();
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
          .withSelector(names.selector())
          .withPorts(ports(plan.listeners()))
        .endSpec()
        .build();
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
