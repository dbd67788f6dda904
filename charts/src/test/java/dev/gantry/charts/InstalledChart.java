package dev.gantry.charts;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.ControlPlane;
import dev.gantry.operator.testing.PodProcess;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * A release of {@code charts/gantry} on the real control plane, installed and uninstalled by the real Helm
 * ({@code helm install <name> charts/gantry -n <namespace> --create-namespace -f <values>}) with the admin's
 * kubeconfig, as a cluster administrator installs it.
 */
final class InstalledChart {

  /** The operator image's entrypoint (jib's container.mainClass in operator/pom.xml). */
  static final String OPERATOR_MAIN = "dev.gantry.operator.Main";

  private final ControlPlane controlPlane;
  private final String name;
  private final String namespace;
  private final Release release;

  private InstalledChart(ControlPlane controlPlane, String name, String namespace, Release release) {
    this.controlPlane = controlPlane;
    this.name = name;
    this.namespace = namespace;
    this.release = release;
  }

  /** Installs the chart with {@code valuesYaml} (empty for the defaults); Helm's error when it refuses. */
  static InstalledChart install(ControlPlane controlPlane, String name, String namespace, String valuesYaml) {
    InstallCommand install = new Helm(Chart.DIR).install().withKubeConfig(controlPlane.kubeconfig())
        .withName(name).withNamespace(namespace).createNamespace();
    if (!valuesYaml.isBlank()) {
      install.withValuesFile(Chart.valuesFile(valuesYaml));
    }
    return new InstalledChart(controlPlane, name, namespace, install.call());
  }

  /** What {@code helm install} answered. */
  Release installed() {
    return release;
  }

  /** {@code helm status}, as Helm reads it back from the cluster. */
  Release status() {
    return Helm.status(name).withNamespace(namespace).withKubeConfig(controlPlane.kubeconfig()).call();
  }

  /**
   * Runs the operator pod as its kubelet would: the image's entrypoint with exactly the container's arguments
   * and environment, as the chart's ServiceAccount, at {@code podIp} on a node at {@code nodeIp}; returns once
   * the chart's readiness probe passes (and the pod is reported Ready).
   */
  PodProcess runOperator(String podIp, String nodeIp) {
    return PodProcess.run(controlPlane, releaseNamespace(), operatorPod(), OPERATOR_MAIN, podIp, nodeIp);
  }

  /** The releases {@code helm list --all} shows in a namespace: name to status. */
  static Map<String, String> releasesIn(ControlPlane controlPlane, String namespace) {
    return Helm.list().all().withNamespace(namespace).withKubeConfig(controlPlane.kubeconfig()).call().stream()
        .collect(Collectors.toMap(Release::getName, Release::getStatus));
  }

  void uninstall() {
    uninstall(controlPlane, name, namespace);
  }

  /** {@code helm uninstall}, also for a release whose install failed. */
  static void uninstall(ControlPlane controlPlane, String name, String namespace) {
    Helm.uninstall(name).withNamespace(namespace).withKubeConfig(controlPlane.kubeconfig()).call();
  }

  String name() {
    return name;
  }

  String namespace() {
    return namespace;
  }

  /** The name of the release's objects (the chart's {@code gantry.fullname}, without an override). */
  String fullname() {
    return name.contains("gantry") ? name : name + "-gantry";
  }

  /** The release namespace, where the operator's pod is, as a test's view of it. */
  Cluster releaseNamespace() {
    return new Cluster(controlPlane.admin(), namespace);
  }

  /**
   * The operator pod the Deployment and ReplicaSet controllers made from the chart's Deployment (it stays
   * Pending: there is no node to schedule it on).
   */
  Pod operatorPod() {
    Cluster cluster = releaseNamespace();
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !cluster.fleetPods(name).isEmpty());
    return cluster.fleetPods(name).get(0);
  }
}
