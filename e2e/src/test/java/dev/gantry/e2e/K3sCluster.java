package dev.gantry.e2e;

import com.marcnuri.helm.InstallCommand;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A one-node k3s cluster in a container (where a Docker engine runs), with the images of `./mvnw -Pimages`
 * imported and the chart installed with pull policy Never.
 *
 * <p>NodePorts are allocated from a small range that the container publishes, so a test reaches any
 * NodePort Service from the host: {@link #nodeAddress} maps a Service port to a host port.
 */
final class K3sCluster implements E2eCluster {

  private static final int FIRST_NODE_PORT = 30000;
  private static final int NODE_PORTS = 10;

  private final K3sContainer k3s;
  private final KubernetesClient client;

  private K3sCluster(K3sContainer k3s) {
    this.k3s = k3s;
    this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml())).build();
  }

  static K3sCluster start(Images images) throws Exception {
    K3sContainer k3s = new K3sContainer(DockerImageName.parse(System.getProperty("gantry.e2e.k3s-image")));
    k3s.withCommand("server", "--disable=traefik", "--disable=servicelb", "--disable=metrics-server",
            "--tls-san=" + k3s.getHost(),
            "--service-node-port-range=" + FIRST_NODE_PORT + "-" + (FIRST_NODE_PORT + NODE_PORTS - 1))
        .withStartupTimeout(Duration.ofMinutes(3));
    k3s.addExposedPorts(IntStream.range(FIRST_NODE_PORT, FIRST_NODE_PORT + NODE_PORTS).toArray());
    k3s.addExposedPorts(SERVICE_LB_PORT);
    k3s.start();
    K3sCluster cluster = new K3sCluster(k3s);
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

  @Override
  public KubernetesClient client() {
    return client;
  }

  /** The kubeconfig of k3s, and the images imported here: pull policy Never. */
  @Override
  public InstallCommand forThisCluster(InstallCommand install) {
    return install.withKubeConfigContents(k3s.getKubeConfigYaml())
        .set("image.pullPolicy", "Never")
        .set("proxy.image.pullPolicy", "Never");
  }

  @Override
  public InetSocketAddress nodeAddress(int nodePort) {
    return new InetSocketAddress(k3s.getHost(), k3s.getMappedPort(nodePort));
  }

  @Override
  public String name() {
    return "k3s (" + System.getProperty("gantry.e2e.k3s-image") + ")";
  }

  @Override
  public void close() {
    client.close();
    k3s.stop();
  }
}
