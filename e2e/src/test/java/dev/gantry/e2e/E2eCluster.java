package dev.gantry.e2e;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real cluster the suite runs on, whichever it is (the one-node cluster of e2e/cluster, or k3s): a client,
 * the chart installed as a user installs it, and where the test machine reaches a NodePort.
 */
interface E2eCluster extends AutoCloseable {

  String RELEASE = "gantry";
  String SYSTEM_NAMESPACE = "gantry-system";
  /** The port the suite's Service of type LoadBalancer binds on the node (outside the NodePort range). */
  int SERVICE_LB_PORT = 29090;

  KubernetesClient client();

  /** Points a {@code helm install} at this cluster (and sets what this cluster needs of the values). */
  InstallCommand forThisCluster(InstallCommand install);

  /** {@code helm install gantry charts/gantry -n gantry-system --create-namespace --wait}. */
  default Release installChart(Path chart) {
    return forThisCluster(new Helm(chart).install().withName(RELEASE).withNamespace(SYSTEM_NAMESPACE)
        .createNamespace()).waitReady().withTimeout(300).call();
  }

  /** Where the test machine reaches the given NodePort (or {@link #SERVICE_LB_PORT}) of the node. */
  InetSocketAddress nodeAddress(int nodePort);

  /** The node's address as the cluster reports it (the EXTERNAL-IP of Services bound on the node). */
  default String nodeInternalIp() {
    return client().nodes().list().getItems().get(0).getStatus().getAddresses().stream()
        .filter(a -> "InternalIP".equals(a.getType())).map(a -> a.getAddress()).findFirst().orElseThrow();
  }

  /** What the suite says it ran on. */
  String name();

  @Override
  void close();

  /** {@code kubectl apply -n <namespace> -f -}, server-side. */
  default void apply(String namespace, String yaml) {
    client().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).inNamespace(namespace)
        .serverSideApply();
  }

  /** Where the test machine reaches a NodePort Service's port. */
  default InetSocketAddress nodePort(String namespace, String service, String port) {
    ServicePort found = client().services().inNamespace(namespace).withName(service).get().getSpec().getPorts()
        .stream()
        .filter(p -> port.equals(p.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("service " + namespace + "/" + service + " has no port " + port));
    return nodeAddress(found.getNodePort());
  }

  /** What to read when something did not come up: every pod's state and the operator's and proxies' logs. */
  default String describe() {
    StringBuilder out = new StringBuilder("\n--- pods\n");
    for (Pod pod : client().pods().inAnyNamespace().list().getItems()) {
      out.append(pod.getMetadata().getNamespace()).append('/').append(pod.getMetadata().getName()).append(' ')
          .append(pod.getStatus().getPhase()).append(' ')
          .append(pod.getStatus().getContainerStatuses() == null ? "" : pod.getStatus().getContainerStatuses().stream()
              .map(c -> c.getName() + " ready=" + c.getReady() + " restarts=" + c.getRestartCount()
                  + (c.getState().getWaiting() == null ? "" : " waiting=" + c.getState().getWaiting().getReason()))
              .collect(Collectors.joining(", ")))
          .append('\n');
    }
    logs(out, client().pods().inNamespace(SYSTEM_NAMESPACE).withLabel("app.kubernetes.io/component", "operator")
        .list().getItems());
    logs(out, client().pods().inAnyNamespace().withLabel("app.kubernetes.io/name", "gantry-proxy").list().getItems());
    return out.toString();
  }

  private void logs(StringBuilder out, List<Pod> pods) {
    for (Pod pod : pods) {
      String ns = pod.getMetadata().getNamespace();
      String name = pod.getMetadata().getName();
      try {
        out.append("--- log of ").append(ns).append('/').append(name).append('\n')
            .append(client().pods().inNamespace(ns).withName(name).tailingLines(100).getLog());
      } catch (RuntimeException e) {
        out.append("(no log: ").append(e.getMessage()).append(")\n");
      }
    }
  }
}
