package dev.gantry.operator.status;

import dev.gantry.model.Address;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.List;

/**
 * The load balancer's addresses, from its fleet Service: what the cloud load balancer got (type
 * LoadBalancer), else the cluster IP (types ClusterIP and NodePort).
 */
public final class Addresses {

  private Addresses() {
  }

  /**
   * The addresses of a fleet that binds its ports on its nodes: the IP of each node where a ready proxy pod
   * runs, in a stable order.
   */
  public static List<Address> ofNodes(List<io.fabric8.kubernetes.api.model.Pod> pods) {
    return pods.stream()
        .filter(dev.gantry.operator.status.ServedGenerations::isReady)
        .map(p -> p.getStatus() == null ? null : p.getStatus().getHostIP())
        .filter(ip -> ip != null && !ip.isEmpty())
        .distinct().sorted()
        .map(ip -> new Address("IPAddress", ip))
        .toList();
  }

  public static List<Address> of(Service service) {
    List<Address> out = new ArrayList<>();
    if (service == null || service.getSpec() == null) {
      return out;
    }
    if ("LoadBalancer".equals(service.getSpec().getType())) {
      if (service.getStatus() != null && service.getStatus().getLoadBalancer() != null
          && service.getStatus().getLoadBalancer().getIngress() != null) {
        for (LoadBalancerIngress i : service.getStatus().getLoadBalancer().getIngress()) {
          if (i.getIp() != null) {
            out.add(new Address("IPAddress", i.getIp()));
          } else if (i.getHostname() != null) {
            out.add(new Address("Hostname", i.getHostname()));
          }
        }
      }
      return out;
    }
    List<String> ips = service.getSpec().getClusterIPs();
    if (ips == null || ips.isEmpty()) {
      ips = service.getSpec().getClusterIP() == null ? List.of() : List.of(service.getSpec().getClusterIP());
    }
    for (String ip : ips) {
      if (ip != null && !ip.isEmpty() && !"None".equals(ip)) {
        out.add(new Address("IPAddress", ip));
      }
    }
    return out;
  }
}
