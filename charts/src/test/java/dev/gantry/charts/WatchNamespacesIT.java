package dev.gantry.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import dev.gantry.model.LoadBalancerStatus;
import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.ControlPlane;
import dev.gantry.operator.testing.ControlPlaneExtension;
import dev.gantry.operator.testing.LocalAddresses;
import dev.gantry.operator.testing.PodProcess;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code watchNamespaces: [a, b]}: the operator pod the chart makes watches those two namespaces, with the
 * chart's ClusterRole bound there by RoleBindings and nowhere else; in a third namespace its ServiceAccount
 * is refused by the API server, and what is applied there is left alone.
 */
@ExtendWith(ControlPlaneExtension.class)
class WatchNamespacesIT {

  static final String SHOP = """
      apiVersion: gantry.dev/v1alpha1
      kind: LoadBalancer
      metadata: {name: shop}
      spec:
        listeners:
        - {name: http, port: 8080, protocol: HTTP, defaultBackend: main}
        backends:
        - name: main
          endpoints: [{address: 10.9.0.1, port: 80}]
      """;

  ControlPlane controlPlane;
  InstalledChart chart;
  PodProcess operator;
  List<Cluster> namespaces = List.of();

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
    if (chart != null) {
      chart.uninstall();
    }
    namespaces.forEach(n -> controlPlane.admin().namespaces().withName(n.namespace()).delete());
  }

  @Test
  void reconcilesTheWatchedNamespacesOnlyAndIsRefusedElsewhere(ControlPlane controlPlane, LocalAddresses addresses) {
    this.controlPlane = controlPlane;
    Cluster a = Cluster.inNewNamespace(controlPlane, "a");
    Cluster b = Cluster.inNewNamespace(controlPlane, "b");
    Cluster c = Cluster.inNewNamespace(controlPlane, "c");
    namespaces = List.of(a, b, c);
    chart = InstalledChart.install(controlPlane, "scoped", "scoped-system", """
        healthPort: %d
        watchNamespaces: [%s, %s]
        """.formatted(FreePorts.any(), a.namespace(), b.namespace()));
    KubernetesClient admin = controlPlane.admin();
    String release = "app.kubernetes.io/instance=scoped";

    // the namespaced rules are bound in a and b only; cluster-wide, only the cluster-scoped reads
    assertThat(admin.rbac().roleBindings().inAnyNamespace().withLabelSelector(release).list().getItems())
        .extracting(rb -> rb.getMetadata().getNamespace() + "/" + rb.getMetadata().getName())
        .containsExactlyInAnyOrder(a.namespace() + "/scoped-gantry", b.namespace() + "/scoped-gantry",
            "scoped-system/scoped-gantry:leader-election");
    assertThat(admin.rbac().clusterRoleBindings().withLabelSelector(release).list().getItems())
        .extracting(HasMetadata::getMetadata).extracting(m -> m.getName())
        .containsExactly("scoped-gantry:cluster-scoped");

    operator = chart.runOperator(addresses.address(40), addresses.address(1));
    assertThat(operator.pod().getSpec().getContainers().get(0).getArgs())
        .contains("--namespaces=" + a.namespace() + "," + b.namespace());
    for (Cluster cluster : namespaces) {
      cluster.apply(SHOP);
    }
    for (Cluster watched : List.of(a, b)) {
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> accepted(watched));
      assertThat(watched.get(Deployment.class, "gantry-shop")).isNotNull();
    }
    // by now c's LoadBalancer would have been reconciled too, were it watched
    assertThat(c.loadBalancer("shop").getStatus()).isNull();
    assertThat(c.get(Deployment.class, "gantry-shop")).isNull();

    try (KubernetesClient serviceAccount = controlPlane.asServiceAccount("scoped-system", "scoped-gantry")) {
      assertThat(serviceAccount.resources(LoadBalancerResource.class).inNamespace(a.namespace()).list().getItems())
          .hasSize(1);
      assertForbidden(() -> serviceAccount.resources(LoadBalancerResource.class).inNamespace(c.namespace()).list());
      assertForbidden(() -> serviceAccount.configMaps().inNamespace(c.namespace()).resource(new ConfigMapBuilder()
          .withNewMetadata().withName("gantry-shop-model").endMetadata().build()).create());
      assertForbidden(() -> serviceAccount.resources(LoadBalancerResource.class).inAnyNamespace().list());
    }
    assertThat(operator.alive()).isTrue();
    assertThat(operator.log()).doesNotContainIgnoringCase("forbidden");
  }

  @Test
  void aWatchedNamespaceMustExistBeforeTheInstall(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    // its RoleBinding cannot be created: Helm says which namespace is missing, and the release is failed
    assertThatThrownBy(() -> InstalledChart.install(controlPlane, "early", "early-system",
        "watchNamespaces: [not-yet]\n")).hasMessageContaining("namespaces \"not-yet\" not found");
    try {
      assertThat(InstalledChart.releasesIn(controlPlane, "early-system")).containsExactly(entry("early", "failed"));
    } finally {
      InstalledChart.uninstall(controlPlane, "early", "early-system");
    }
  }

  private static boolean accepted(Cluster cluster) {
    LoadBalancerStatus s = cluster.loadBalancer("shop").getStatus();
    return s.conditions().stream().anyMatch(cond -> cond.type().equals("Accepted") && cond.status().equals("True"));
  }

  private static void assertForbidden(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
      assertThat(e.getCode()).isEqualTo(403);
      assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
      assertThat(e.getMessage()).contains("system:serviceaccount:scoped-system:scoped-gantry");
    });
  }
}
