package dev.gantry.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.ControlPlane;
import dev.gantry.operator.testing.ControlPlaneExtension;
import dev.gantry.operator.testing.GantryRelease;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A LoadBalancer's life as a user sees it with kubectl, on the real control plane: its status and Events in
 * {@code kubectl get} and {@code kubectl describe}; an edit applied to its dependents server-side, next to
 * what other field managers set on them; and its namespace deleted with everything in it.
 */
@ExtendWith(ControlPlaneExtension.class)
class LifecycleIT {

  /** The operator's field manager: JOSDK names it after the reconciler. */
  static final String OPERATOR_MANAGER = "loadbalancerreconciler";

  ControlPlane controlPlane;
  Cluster cluster;
  GantryOperator operator;

  static String shop(int replicas, String forumPath) {
    return """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: shop}
        spec:
          listeners:
          - {name: http, port: 8080, protocol: HTTP, defaultBackend: main}
          routes:
          - name: community
            paths: [{type: Prefix, value: %s}]
            backends: [{name: forum}]
          backends:
          - {name: main, service: {name: main, port: 80}}
          - {name: forum, service: {name: forum, port: http}}
          deployment: {replicas: %d}
        """.formatted(forumPath, replicas);
  }

  @BeforeEach
  void start(GantryRelease gantry) {
    controlPlane = gantry.controlPlane();
    cluster = Cluster.inNewNamespace(controlPlane, "life");
    cluster.service("main", 80, "web", 8080);
    cluster.endpoints("main", "web", 8080, List.of("198.18.1.30"), List.of());
    operator = gantry.startOperator(Set.of(cluster.namespace()), 8404);
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
    cluster.client().namespaces().withName(cluster.namespace()).delete();
  }

  @Test
  void statusAndEventsShowInKubectl() {
    cluster.apply(shop(1, "/community"));
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> cluster.loadBalancer("shop").getStatus()
        .observedGeneration() == 1);

    String get = controlPlane.kubectl("-n", cluster.namespace(), "get", "loadbalancers.gantry.dev", "shop");
    assertThat(get.lines().findFirst().orElseThrow()).containsSubsequence("NAME", "READY", "ADDRESS", "LISTENERS",
        "AGE");
    assertThat(get).contains("shop").contains("8080");

    // the missing Service is a Warning Event on the LoadBalancer, which describe lists under Events
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(controlPlane.kubectl("-n",
        cluster.namespace(), "describe", "loadbalancer", "shop"))
        .contains("Observed Generation:  1")
        .containsPattern("Events:[\\s\\S]*Warning\\s+ServiceNotFound\\s+\\S+\\s+\\S+\\s+"
            + "backend \"forum\": Service \"forum\" not found"));

    cluster.service("forum", 8080, "http", 9000);
    cluster.endpoints("forum", "http", 9000, List.of("198.18.1.31"), List.of());
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(controlPlane.kubectl("-n",
        cluster.namespace(), "get", "loadbalancer", "shop", "-o",
        "jsonpath={.status.conditions[?(@.type==\"Accepted\")].status}")).isEqualTo("True"));
    assertThat(controlPlane.kubectl("-n", cluster.namespace(), "describe", "loadbalancer", "shop"))
        .containsPattern("Normal\\s+Accepted");
  }

  @Test
  void anEditReachesTheDependentsServerSideAndLeavesOtherManagersFieldsAlone() {
    cluster.service("forum", 8080, "http", 9000);
    cluster.endpoints("forum", "http", 9000, List.of("198.18.1.31"), List.of());
    cluster.apply(shop(1, "/community"));
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.get(Deployment.class, "gantry-shop") != null);

    // somebody else's annotation, as a team's tooling would add it
    controlPlane.kubectl("-n", cluster.namespace(), "annotate", "deployment", "gantry-shop", "team=payments");
    controlPlane.kubectl("-n", cluster.namespace(), "label", "configmap", "gantry-shop-model", "backup=nightly");

    cluster.apply(shop(2, "/forum"));
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.get(Deployment.class, "gantry-shop").getSpec()
        .getReplicas() == 2);
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.get(ConfigMap.class, "gantry-shop-model").getData()
        .get("loadbalancer.json").contains("/forum"));

    Deployment d = cluster.get(Deployment.class, "gantry-shop");
    assertThat(d.getMetadata().getAnnotations()).containsEntry("team", "payments");
    assertThat(cluster.get(ConfigMap.class, "gantry-shop-model").getMetadata().getLabels())
        .containsEntry("backup", "nightly");
    // the operator applies its fields; kubectl's edit and the controllers' status stay theirs
    assertThat(managers(d)).contains(OPERATOR_MANAGER + " Apply", "kubectl-annotate Update");
    assertThat(d.getMetadata().getManagedFields()).filteredOn(f -> f.getManager().equals(OPERATOR_MANAGER))
        .allSatisfy(f -> assertThat(f.getOperation()).isEqualTo("Apply"));
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.loadBalancer("shop").getStatus()
        .observedGeneration() == 2);
  }

  static List<String> managers(Deployment d) {
    return d.getMetadata().getManagedFields().stream().map(LifecycleIT::describe).toList();
  }

  static String describe(ManagedFieldsEntry f) {
    return f.getManager() + " " + f.getOperation();
  }

  @Test
  void aDeletedNamespaceIsFinalizedWithItsLoadBalancersAndFleets() {
    cluster.apply(shop(1, "/community"));
    // (the controllers may be busy deleting the namespaces of earlier tests)
    await().atMost(Duration.ofSeconds(90)).until(() -> cluster.get(Deployment.class, "gantry-shop") != null
        && !cluster.fleetPods("gantry-shop").isEmpty());

    cluster.client().namespaces().withName(cluster.namespace()).delete();
    // the namespace controller deletes everything in it, the garbage collector what was owned; nothing of ours
    // holds a finalizer that would keep the namespace Terminating
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .until(() -> cluster.client().namespaces().withName(cluster.namespace()).get() == null);
    assertThat(controlPlane.kubectl("get", "loadbalancers.gantry.dev", "-A", "-o", "name"))
        .doesNotContain(cluster.namespace());
  }
}
