package dev.gantry.e2e;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A one-node k3s cluster in a container, with Gantry's images imported and its chart installed, as a user
 * would: {@code helm install gantry charts/gantry}.
 *
 * <p>NodePorts are allocated from a small range that the container publishes, so a test reaches any
 * NodePort Service from the host: {@link #nodePort} maps a Service port to a host port.
 */
final class Cluster implements AutoCloseable {

  static final String RELEASE = "gantry";
  static final String SYSTEM_NAMESPACE = "gantry-system";
  private static final int FIRST_NODE_PORT = 30000;
  private static final int NODE_PORTS = 10;

  private final K3sContainer k3s;
  final KubernetesClient client;

  private Cluster(K3sContainer k3s) {
    this.k3s = k3s;
    this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml())).build();
  }

  static Cluster start(Images images) throws Exception {
    K3sContainer k3s = new K3sContainer(DockerImageName.parse(System.getProperty("gantry.e2e.k3s-image")));
    k3s.withCommand("server", "--disable=traefik", "--disable=servicelb", "--disable=metrics-server",
            "--tls-san=" + k3s.getHost(),
            "--service-node-port-range=" + FIRST_NODE_PORT + "-" + (FIRST_NODE_PORT + NODE_PORTS - 1))
        .withStartupTimeout(Duration.ofMinutes(3));
    k3s.addExposedPorts(IntStream.range(FIRST_NODE_PORT, FIRST_NODE_PORT + NODE_PORTS).toArray());
    k3s.start();
    Cluster cluster = new Cluster(k3s);
    try {
      for (Path tar : images.all()) {
        cluster.importImage(tar);
      }
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  /** Loads an image tar into the node's containerd, where pods with {@code imagePullPolicy: Never} find it. */
  private void importImage(Path tar) throws Exception {
    String inContainer = "/tmp/" + tar.getFileName();
    k3s.copyFileToContainer(MountableFile.forHostPath(tar), inContainer);
    ExecResult result = k3s.execInContainer("k3s", "ctr", "--namespace", "k8s.io", "images", "import", inContainer);
    if (result.getExitCode() != 0) {
      throw new IllegalStateException("importing " + tar + " into k3s failed: " + result.getStderr());
    }
  }

  /** {@code helm install gantry charts/gantry -n gantry-system --create-namespace --wait}, with the imported images. */
  Release installChart(Path chart) {
    return new Helm(chart).install()
        .withName(RELEASE)
        .withNamespace(SYSTEM_NAMESPACE)
        .createNamespace()
        .withKubeConfigContents(k3s.getKubeConfigYaml())
        .set("image.pullPolicy", "Never")
        .set("proxy.image.pullPolicy", "Never")
        .waitReady()
        .withTimeout(300)
        .call();
  }

  /** {@code kubectl apply -n <namespace> -f -}, server-side. */
  void apply(String namespace, String yaml) {
    client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).inNamespace(namespace)
        .serverSideApply();
  }

  /** Where the host reaches a NodePort Service's port. */
  int nodePort(String namespace, String service, String port) {
    ServicePort found = client.services().inNamespace(namespace).withName(service).get().getSpec().getPorts().stream()
        .filter(p -> port.equals(p.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("service " + namespace + "/" + service + " has no port " + port));
    return k3s.getMappedPort(found.getNodePort());
  }

  String host() {
    return k3s.getHost();
  }

  /** What to read when something did not come up: every pod's state and the operator's recent log. */
  String describe() {
    StringBuilder out = new StringBuilder("\n--- pods\n");
    for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
      out.append(pod.getMetadata().getNamespace()).append('/').append(pod.getMetadata().getName()).append(' ')
          .append(pod.getStatus().getPhase()).append(' ')
          .append(pod.getStatus().getContainerStatuses() == null ? "" : pod.getStatus().getContainerStatuses().stream()
              .map(c -> c.getName() + " ready=" + c.getReady() + " restarts=" + c.getRestartCount()
                  + (c.getState().getWaiting() == null ? "" : " waiting=" + c.getState().getWaiting().getReason()))
              .collect(Collectors.joining(", ")))
          .append('\n');
    }
    logs(out, client.pods().inNamespace(SYSTEM_NAMESPACE).withLabel("app.kubernetes.io/component", "operator")
        .list().getItems());
    logs(out, client.pods().inAnyNamespace().withLabel("app.kubernetes.io/name", "gantry-proxy").list().getItems());
    return out.toString();
  }

  private void logs(StringBuilder out, List<Pod> pods) {
    for (Pod pod : pods) {
      String ns = pod.getMetadata().getNamespace();
      String name = pod.getMetadata().getName();
      try {
        out.append("--- log of ").append(ns).append('/').append(name).append('\n')
            .append(client.pods().inNamespace(ns).withName(name).tailingLines(100).getLog());
      } catch (RuntimeException e) {
        out.append("(no log: ").append(e.getMessage()).append(")\n");
      }
    }
  }

  @Override
  public void close() {
    client.close();
    k3s.stop();
  }
}
