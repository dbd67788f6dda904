package dev.gantry.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.testing.ControlPlane;
import dev.gantry.operator.testing.ControlPlaneExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code helm uninstall} removes everything the release made, cluster-scoped objects included, and the
 * garbage collector the operator's ReplicaSet and pod; the CRD stays, as Helm keeps the CRDs of a chart's
 * {@code crds/}. The same release installs again afterwards.
 */
@ExtendWith(ControlPlaneExtension.class)
class ChartUninstallIT {

  /** Every kind the chart makes, with the ingress class and its LoadBalancer on. */
  static final List<Class<? extends HasMetadata>> CHART_KINDS = List.of(ServiceAccount.class, ClusterRole.class,
      ClusterRoleBinding.class, Role.class, RoleBinding.class, Deployment.class, Service.class,
      PodDisruptionBudget.class, IngressClass.class, LoadBalancerResource.class);

  static final String VALUES = """
      ingressClass:
        enabled: true
        name: again-gantry
        loadBalancer: {name: edge, create: true, serviceType: ClusterIP}
      """;

  @Test
  void uninstallRemovesWhatTheReleaseMadeButTheCrdAndAReinstallWorks(ControlPlane controlPlane) {
    KubernetesClient admin = controlPlane.admin();
    InstalledChart chart = InstalledChart.install(controlPlane, "again", "again-system", VALUES);
    Set<String> made = objectsOf(admin, "again");
    assertThat(made).containsExactlyInAnyOrder(
        "ServiceAccount again-system/again-gantry",
        "ClusterRole again-gantry", "ClusterRole again-gantry:cluster-scoped",
        "ClusterRoleBinding again-gantry", "ClusterRoleBinding again-gantry:cluster-scoped",
        "Role again-system/again-gantry:leader-election", "RoleBinding again-system/again-gantry:leader-election",
        "Deployment again-system/again-gantry", "Service again-system/again-gantry",
        "PodDisruptionBudget again-system/again-gantry", "IngressClass again-gantry",
        "LoadBalancer again-system/edge");
    await().atMost(Duration.ofSeconds(60)).until(() -> !podsOf(admin, "again").isEmpty());

    chart.uninstall();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(objectsOf(admin, "again")).isEmpty());
    assertThat(InstalledChart.releasesIn(controlPlane, "again-system")).doesNotContainKey("again");
    assertThat(admin.secrets().inNamespace("again-system").withLabel("owner", "helm").list().getItems())
        .extracting(Secret::getMetadata).extracting(m -> m.getName()).noneMatch(n -> n.contains(".again."));
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(podsOf(admin, "again")).isEmpty());
    assertThat(admin.apiextensions().v1().customResourceDefinitions().withName("loadbalancers.gantry.dev").get())
        .isNotNull();

    InstalledChart again = InstalledChart.install(controlPlane, "again", "again-system", VALUES);
    assertThat(again.status().getStatus()).isEqualTo("deployed");
    assertThat(again.status().getRevision()).isEqualTo("1");
    assertThat(objectsOf(admin, "again")).isEqualTo(made);
    again.uninstall();
  }

  /** What the chart made for a release, as "Kind namespace/name" ("Kind name" when cluster-scoped). */
  static Set<String> objectsOf(KubernetesClient admin, String release) {
    Set<String> found = new TreeSet<>();
    for (Class<? extends HasMetadata> kind : CHART_KINDS) {
      admin.resources(kind).inAnyNamespace().withLabel("app.kubernetes.io/instance", release).list().getItems()
          .forEach(o -> found.add(o.getKind() + " " + (o.getMetadata().getNamespace() == null ? ""
              : o.getMetadata().getNamespace() + "/") + o.getMetadata().getName()));
    }
    return found;
  }

  /** The operator's ReplicaSets and pods, which the Deployment's controllers made and the garbage collector removes. */
  static List<String> podsOf(KubernetesClient admin, String release) {
    return Stream.concat(
        admin.resources(ReplicaSet.class).inAnyNamespace().withLabel("app.kubernetes.io/instance", release).list()
            .getItems().stream(),
        admin.resources(Pod.class).inAnyNamespace().withLabel("app.kubernetes.io/instance", release).list()
            .getItems().stream())
        .map(o -> o.getKind() + " " + o.getMetadata().getName()).toList();
  }
}
