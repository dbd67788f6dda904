package dev.gantry.operator.gateway;

import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import dev.gantry.model.Condition;
import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.ControlPlane;
import dev.gantry.operator.testing.GantryRelease;
import dev.gantry.operator.translate.FleetSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.awaitility.core.ConditionFactory;

/**
 * What a Gateway API test on the real API server starts from: the standard channel's CRDs as the chart ships
 * them, the chart's release with Gateway API on (so its permissions are the operator's), one new namespace per
 * prefix, and the operator running with that release's service account. {@link #close} stops the operator and
 * deletes the namespaces.
 */
final class GatewayApiOperator implements AutoCloseable {

  private static final List<String> CRDS = List.of("gatewayclasses", "gateways", "httproutes", "grpcroutes",
      "tlsroutes", "tcproutes", "referencegrants", "backendtlspolicies", "listenersets");

  private final List<Cluster> namespaces;
  private final GantryOperator operator;

  private GatewayApiOperator(List<Cluster> namespaces, GantryOperator operator) {
    this.namespaces = namespaces;
    this.operator = operator;
  }

  static GatewayApiOperator start(GantryRelease gantry, String... namespacePrefixes) {
    ControlPlane cp = gantry.controlPlane();
    Path root = ControlPlane.scripts().getParent().getParent();
    cp.kubectl("apply", "--server-side", "-f", root.resolve("charts/gantry/files/gateway-api-v1.6.3").toString());
    List<String> wait = new ArrayList<>(List.of("wait", "--for=condition=Established", "--timeout=60s"));
    CRDS.forEach(crd -> wait.add("crd/" + crd + ".gateway.networking.k8s.io"));
    cp.kubectl(wait.toArray(String[]::new));
    new Helm(root.resolve("charts").resolve("gantry")).upgrade().withKubeConfig(cp.kubeconfig())
        .withName(GantryRelease.RELEASE).withNamespace(GantryRelease.NAMESPACE).reuseValues()
        .set("gatewayAPI.enabled", "true").call();
    List<Cluster> namespaces = new ArrayList<>();
    for (String prefix : namespacePrefixes) {
      namespaces.add(Cluster.inNewNamespace(cp, prefix));
    }
    GantryOperator operator = new GantryOperator(new GantryOperator.Config(gantry.operatorClient(), Set.of(),
        new FleetSettings("gantry/proxy:test", "IfNotPresent", 8404), Optional.empty(), new SimpleMeterRegistry(),
        true, true)).start();
    return new GatewayApiOperator(namespaces, operator);
  }

  /** The namespace made for the {@code i}th prefix. */
  Cluster namespace(int i) {
    return namespaces.get(i);
  }

  KubernetesClient client() {
    return namespaces.get(0).client();
  }

  /** Applies {@code yaml} as the test's user, in {@code namespace} unless that is null. */
  <T extends HasMetadata> T apply(Class<T> type, String namespace, String yaml) {
    T object = client().getKubernetesSerialization().unmarshal(yaml, type);
    if (namespace != null) {
      object.getMetadata().setNamespace(namespace);
    }
    return client().resource(object).fieldManager(Cluster.USER).forceConflicts().serverSideApply();
  }

  static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions();
  }

  static Condition condition(List<Condition> conditions, String type) {
    return conditions == null ? null : conditions.stream().filter(c -> type.equals(c.type())).findFirst().orElse(null);
  }

  @Override
  public void close() {
    operator.close();
    namespaces.forEach(ns -> ns.client().namespaces().withName(ns.namespace()).delete());
  }
}
