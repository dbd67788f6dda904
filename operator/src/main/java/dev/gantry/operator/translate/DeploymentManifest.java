package dev.gantry.operator.translate;

import dev.gantry.model.DeploymentSpec;
import dev.gantry.model.Listener;
import dev.gantry.model.ResourceRequirements;
import dev.gantry.model.Toleration;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The proxy fleet's Deployment: the proxy in cluster mode, told which ConfigMap and Secret to watch, probes on
 * the admin port, and a locked-down pod (non-root, read-only root filesystem, no capabilities, a small writable
 * {@code /tmp} for the JVM and Netty's native library).
 *
 * <p>The pod template does not depend on the listeners unless the fleet binds host ports: a listener added,
 * moved or removed reaches the running proxies through their model, without replacing a pod or dropping a
 * connection. So the container lists only the admin port (listener ports need no declaration to be reached),
 * and every pod may bind ports below 1024.
 */
public final class DeploymentManifest {

  public static final String CONTAINER = "proxy";
  /** A non-root user with no entry in the image; any would do, this one is distroless' "nonroot". */
  static final long RUN_AS = 65532;
  private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  /**
   * How long a terminating proxy goes on serving before it stops accepting: the moment Kubernetes needs to
   * take its pod out of the Service's endpoints everywhere (kube-proxy's rules included); then it drains for
   * up to 20 s, within the 30 s grace period.
   */
  static final String SHUTDOWN_DELAY = "5s";
  private static final Map<String, String> DEFAULT_REQUESTS = Map.of("cpu", "100m", "memory", "128Mi");
  private static final Map<String, String> DEFAULT_LIMITS = Map.of("memory", "512Mi");

  private DeploymentManifest() {
  }

  public static Deployment deployment(FleetPlan plan) {
    FleetNames names = plan.names();
    DeploymentSpec d = plan.deployment();
    PodSecurityContextBuilder pod = new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUN_AS)
        .withRunAsGroup(RUN_AS)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        // a non-root process binds ports below 1024 only this way (a safe, namespaced sysctl); set always, so
        // that a listener moving below 1024 does not change the pod template
        .addNewSysctl().withName("net.ipv4.ip_unprivileged_port_start").withValue("0").endSysctl();
    return new DeploymentBuilder()
        .withNewMetadata()
          .withName(names.deployment())
          .withNamespace(names.namespace())
          .withLabels(plan.labels())
          .withAnnotations(plan.annotations(Map.of()))
        .endMetadata()
        .withNewSpec()
          .withReplicas(plan.replicas())
          .withNewSelector().withMatchLabels(names.selector()).endSelector()
          .withNewStrategy()
            .withType("RollingUpdate")
            .withNewRollingUpdate()
              .withMaxUnavailable(new IntOrString(0))
              .withMaxSurge(new IntOrString(1))
            .endRollingUpdate()
          .endStrategy()
          .withNewTemplate()
            .withNewMetadata()
              .withLabels(plan.labels())
              .withAnnotations(plan.annotations(Map.of(FleetNames.ANNOTATION_LOAD_BALANCER, names.loadBalancer())))
            .endMetadata()
            .withNewSpec()
              .withServiceAccountName(names.serviceAccount())
              .withAutomountServiceAccountToken(true)
              .withSecurityContext(pod.build())
              .withContainers(container(plan))
              .addNewVolume().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("64Mi")).endEmptyDir()
              .endVolume()
              .withNodeSelector(d.nodeSelector() == null ? null : new TreeMap<>(d.nodeSelector()))
              .withTolerations(d.tolerations() == null ? null : d.tolerations().stream()
                  .map(DeploymentManifest::toleration).toList())
              .withTerminationGracePeriodSeconds(30L)
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  private static Container container(FleetPlan plan) {
    FleetNames names = plan.names();
    int admin = plan.settings().adminPort();
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(plan.settings().proxyImage())
        .withImagePullPolicy(plan.settings().imagePullPolicy())
        .withArgs("cluster",
            "--namespace", names.namespace(),
            "--name", names.loadBalancer(),
            "--config-map", names.modelConfigMap(),
            "--secret", names.tlsSecret(),
            "--admin-port", Integer.toString(admin),
            "--shutdown-delay", SHUTDOWN_DELAY)
        .withPorts(ports(plan.listeners(), admin, plan.hostPorts()))
        .withReadinessProbe(probe("/readyz", admin, 2))
        .withLivenessProbe(probe("/healthz", admin, 10))
        .withResources(resources(plan.deployment().resources()))
        .withSecurityContext(new SecurityContextBuilder()
            .withAllowPrivilegeEscalation(false)
            .withReadOnlyRootFilesystem(true)
            .withRunAsNonRoot(true)
            .withNewCapabilities().withDrop("ALL").endCapabilities()
            .build())
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .build();
  }

  /** The admin port; the listeners' ports too only when they are bound on the node (host ports). */
  private static List<ContainerPort> ports(List<Listener> listeners, int admin, boolean hostPorts) {
    List<ContainerPort> ports = new ArrayList<>();
    for (Listener l : hostPorts ? listeners : List.<Listener>of()) {
      ContainerPortBuilder p = new ContainerPortBuilder().withContainerPort(l.port()).withProtocol("TCP");
      if (hostPorts) {
        p.withHostPort(l.port());
      }
      // container port names are IANA service names: at most 15 characters
      if (l.name().length() <= 15 && PORT_NAME.matcher(l.name()).matches() && !l.name().equals("admin")) {
        p.withName(l.name());
      }
      ports.add(p.build());
    }
    ports.add(new ContainerPortBuilder().withName("admin").withContainerPort(admin).withProtocol("TCP").build());
    return ports;
  }

  private static Probe probe(String path, int port, int period) {
    return new ProbeBuilder()
        .withNewHttpGet().withPath(path).withPort(new IntOrString(port)).endHttpGet()
        .withPeriodSeconds(period)
        .withTimeoutSeconds(2)
        .withFailureThreshold(3)
        .build();
  }

  private static io.fabric8.kubernetes.api.model.ResourceRequirements resources(ResourceRequirements r) {
    Map<String, String> requests = r == null || r.requests() == null ? DEFAULT_REQUESTS : r.requests();
    Map<String, String> limits = r == null || r.limits() == null ? DEFAULT_LIMITS : r.limits();
    return new ResourceRequirementsBuilder()
        .withRequests(quantities(requests))
        .withLimits(quantities(limits))
        .build();
  }

  private static Map<String, Quantity> quantities(Map<String, String> values) {
    Map<String, Quantity> q = new TreeMap<>();
    values.forEach((k, v) -> q.put(k, new Quantity(v)));
    return q;
  }

  private static io.fabric8.kubernetes.api.model.Toleration toleration(Toleration t) {
    return new TolerationBuilder().withKey(t.key()).withOperator(t.operator()).withValue(t.value())
        .withEffect(t.effect()).withTolerationSeconds(t.tolerationSeconds()).build();
  }
}
