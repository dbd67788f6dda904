package dev.gantry.operator.testing;

import com.marcnuri.helm.Helm;
import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.translate.FleetSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Gantry installed on the control plane the way a user installs it: the CRDs in {@code crds/} applied
 * server-side, then the Helm chart ({@code helm install gantry charts/gantry -n gantry-system}) with its
 * ServiceAccount and least-privilege RBAC. The operator under test runs in the test's JVM, authenticated as
 * the chart's ServiceAccount, with server-side apply as in production: a verb the chart does not grant
 * fails the test. (The chart's own operator pod stays Pending: the control plane has no node to run it.)
 */
public final class GantryRelease implements AutoCloseable {

  public static final String NAMESPACE = "gantry-system";
  public static final String RELEASE = "gantry";
  public static final String SERVICE_ACCOUNT = "gantry";

  private final ControlPlane controlPlane;
  private final KubernetesClient operatorClient;

  private GantryRelease(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.operatorClient = controlPlane.asServiceAccount(NAMESPACE, SERVICE_ACCOUNT);
  }

  static GantryRelease install(ControlPlane controlPlane) {
    Path root = ControlPlane.scripts().getParent().getParent();
    controlPlane.kubectl("apply", "--server-side", "-f", root.resolve("crds").toString());
    controlPlane.kubectl("wait", "--for=condition=Established", "--timeout=60s",
        "crd/loadbalancers.gantry.dev");
    new Helm(root.resolve("charts").resolve("gantry")).install()
        .withKubeConfig(controlPlane.kubeconfig())
        .withName(RELEASE).withNamespace(NAMESPACE).createNamespace()
        .call();
    return new GantryRelease(controlPlane);
  }

  public ControlPlane controlPlane() {
    return controlPlane;
  }

  /** A client with exactly the operator's permissions: the chart's ServiceAccount's token. */
  public KubernetesClient operatorClient() {
    return operatorClient;
  }

  /** The operator, as the chart's ServiceAccount, watching {@code namespaces} (all when empty). */
  public GantryOperator startOperator(Set<String> namespaces, int proxyAdminPort) {
    return new GantryOperator(new GantryOperator.Config(operatorClient, namespaces,
        new FleetSettings("gantry/proxy:test", "IfNotPresent", proxyAdminPort), Optional.empty(),
        new SimpleMeterRegistry(), true)).start();
  }

  @Override
  public void close() {
    operatorClient.close();
  }
}
