package dev.gantry.operator.servicelb;

import dev.gantry.model.Backend;
import dev.gantry.model.DeploymentSpec;
import dev.gantry.model.Listener;
import dev.gantry.model.LoadBalancerSpec;
import dev.gantry.model.Protocol;
import dev.gantry.model.ServiceRef;
import dev.gantry.model.ServiceSpec;
import dev.gantry.model.ServiceType;
import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.translate.FleetPlan;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A {@code Service} of {@code type: LoadBalancer} with {@code loadBalancerClass: gantry.dev/lb}, as the
 * LoadBalancer that serves it: one TCP passthrough listener per TCP port of the Service (on the same port
 * number), each to the Service's own endpoints, and a fleet that binds those ports on its nodes. The
 * LoadBalancer is owned by the Service, so it goes when the Service goes. Pure.
 */
public final class ServiceLoadBalancers {

  public static final String CLASS = "gantry.dev/lb";
  /** On the Service: how many proxy pods (each on a node of its own) serve it; 1 when absent. */
  public static final String REPLICAS_ANNOTATION = "gantry.dev/replicas";

  /** The LoadBalancer for a Service, and the Service ports it cannot serve. */
  public record Desired(LoadBalancerResource lb, List<String> problems) {
  }

  private ServiceLoadBalancers() {
  }

  /** Whether the Service asks for a Gantry load balancer. */
  public static boolean isOurs(Service s) {
    return s.getSpec() != null && "LoadBalancer".equals(s.getSpec().getType())
        && CLASS.equals(s.getSpec().getLoadBalancerClass());
  }

  /** The name of the LoadBalancer serving Service {@code name}: a DNS label, stable. */
  public static String loadBalancerName(String service) {
    String plain = "svc-" + service;
    if (plain.length() <= 63) {
      return plain;
    }
    return plain.substring(0, 54) + "-" + sha256(service).substring(0, 8);
  }

  public static Desired desired(Service svc) {
    List<Listener> listeners = new ArrayList<>();
    List<Backend> backends = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<ServicePort> ports = svc.getSpec().getPorts() == null ? List.of() : svc.getSpec().getPorts();
    for (int i = 0; i < ports.size(); i++) {
      ServicePort p = ports.get(i);
      String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
      if (!"TCP".equals(protocol)) {
        problems.add("port " + describe(p) + " is " + protocol + ": Gantry passes TCP through, so this port is "
            + "not served; the TCP ports are");
        continue;
      }
      String name = "port-" + p.getPort();
      String ref = p.getName() != null && !p.getName().isEmpty() ? p.getName() : Integer.toString(p.getPort());
      listeners.add(new Listener(name, p.getPort(), Protocol.TCP, null, null, name));
      backends.add(Backend.ofService(name, new ServiceRef(svc.getMetadata().getName(), ref)));
    }
    LoadBalancerResource lb = new LoadBalancerResource();
    lb.setMetadata(new ObjectMetaBuilder()
        .withName(loadBalancerName(svc.getMetadata().getName()))
        .withNamespace(svc.getMetadata().getNamespace())
        .withLabels(Map.of("app.kubernetes.io/managed-by", "gantry-operator"))
        .withAnnotations(Map.of(FleetPlan.HOST_PORTS_ANNOTATION, FleetPlan.HOST_PORTS_VALUE))
        .withOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion("v1").withKind("Service")
            .withName(svc.getMetadata().getName()).withUid(svc.getMetadata().getUid())
            .withController(true).withBlockOwnerDeletion(true)
            .build())
        .build());
    lb.setSpec(new LoadBalancerSpec(null, listeners, null, backends,
        new DeploymentSpec(replicas(svc), null, null, null), new ServiceSpec(ServiceType.ClusterIP, null)));
    return new Desired(lb, problems);
  }

  private static int replicas(Service svc) {
    Map<String, String> a = svc.getMetadata().getAnnotations();
    String value = a == null ? null : a.get(REPLICAS_ANNOTATION);
    try {
      return value == null ? 1 : Math.max(0, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static String describe(ServicePort p) {
    return (p.getName() == null || p.getName().isEmpty() ? "" : p.getName() + " ") + p.getPort();
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
