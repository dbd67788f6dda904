package dev.gantry.e2e;

import com.marcnuri.helm.InstallCommand;
import dev.gantry.operator.testing.ControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The one-node cluster of e2e/cluster on this machine (up.sh without --control-plane): kubelet, containerd,
 * runc, the CNI bridge and kube-proxy, with Gantry's images built here and loaded under the chart's default
 * names. The chart goes in with its default values, as a user's {@code helm install} right after up.sh.
 * NodePorts are reached on the node's own address.
 */
final class LocalNodeCluster implements E2eCluster {

  private final ControlPlane cluster;
  private final String nodeIp;

  private LocalNodeCluster(ControlPlane cluster) {
    this.cluster = cluster;
    this.nodeIp = nodeInternalIp();
  }

  static LocalNodeCluster start(Path dir) {
    return new LocalNodeCluster(ControlPlane.startWithNode(dir));
  }

  ControlPlane controlPlane() {
    return cluster;
  }

  @Override
  public KubernetesClient client() {
    return cluster.admin();
  }

  /** The admin kubeconfig, and nothing else: the chart's default values work as they are. */
  @Override
  public InstallCommand forThisCluster(InstallCommand install) {
    return install.withKubeConfig(cluster.kubeconfig());
  }

  @Override
  public InetSocketAddress nodeAddress(int nodePort) {
    return new InetSocketAddress(nodeIp, nodePort);
  }

  @Override
  public String name() {
    return "the one-node cluster of e2e/cluster (node at " + nodeIp + ")";
  }

  @Override
  public void close() {
    cluster.close();
  }
}
