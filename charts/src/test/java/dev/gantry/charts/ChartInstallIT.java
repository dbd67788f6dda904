package dev.gantry.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.testing.ControlPlane;
import dev.gantry.operator.testing.ControlPlaneExtension;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code helm install} into a real API server (with RBAC, admission and the CRD's validation): the release
 * is deployed, and its objects are there as the server stored them, the ReplicaSet controller's pod of the
 * operator among them. Releases of other names coexist, cluster-scoped objects included.
 */
@ExtendWith(ControlPlaneExtension.class)
class ChartInstallIT {

  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void installsWithDefaultValues(ControlPlane controlPlane) {
    InstalledChart chart = InstalledChart.install(controlPlane, "edge", "edge-system", "");
    KubernetesClient admin = controlPlane.admin();
    String ns = chart.namespace();
    String name = chart.fullname();

    assertThat(chart.installed().getStatus()).isEqualTo("deployed");
    assertThat(chart.status().getStatus()).isEqualTo("deployed");
    assertThat(chart.status().getRevision()).isEqualTo("1");
    assertThat(name).isEqualTo("edge-gantry");

    CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions()
        .withName("loadbalancers.gantry.dev").get();
    assertThat(crd.getStatus().getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Established");
      assertThat(c.getStatus()).isEqualTo("True");
    });
    assertThat(admin.serviceAccounts().inNamespace(ns).withName(name).get().getMetadata().getAnnotations())
        .containsEntry("meta.helm.sh/release-name", "edge").containsEntry("meta.helm.sh/release-namespace", ns);
    assertThat(Rbac.grants(JSON.valueToTree(admin.rbac().clusterRoles().withName(name).get())))
        .isEqualTo(Rbac.OPERATOR);
    assertThat(Rbac.grants(JSON.valueToTree(admin.rbac().clusterRoles().withName(name + ":cluster-scoped").get())))
        .isEqualTo(Map.of("networking.k8s.io/ingressclasses", Set.of("get", "list", "watch")));
    for (String binding : new String[] {name, name + ":cluster-scoped"}) {
      ClusterRoleBinding b = admin.rbac().clusterRoleBindings().withName(binding).get();
      assertThat(b.getRoleRef().getName()).isEqualTo(binding);
      assertThat(Rbac.subjects(JSON.valueToTree(b))).containsExactly("ServiceAccount edge-system/edge-gantry");
    }
    assertThat(Rbac.grants(JSON.valueToTree(admin.rbac().roles().inNamespace(ns).withName(name + ":leader-election")
        .get()))).isEqualTo(Map.of("coordination.k8s.io/leases", Set.of("create", "get", "update", "patch")));
    RoleBinding lease = admin.rbac().roleBindings().inNamespace(ns).withName(name + ":leader-election").get();
    assertThat(Rbac.subjects(JSON.valueToTree(lease))).containsExactly("ServiceAccount edge-system/edge-gantry");
    assertThat(admin.services().inNamespace(ns).withName(name).get().getSpec().getClusterIP()).isNotBlank();
    assertThat(admin.resources(PodDisruptionBudget.class).inNamespace(ns).withName(name).get()).isNotNull();
    // an IngressClass is the one thing the defaults leave out
    assertThat(admin.network().v1().ingressClasses().withLabel("app.kubernetes.io/instance", "edge").list()
        .getItems()).isEmpty();

    // the controllers made the operator's pod from the Deployment; the scheduler finds no node for it
    Deployment deployment = admin.apps().deployments().inNamespace(ns).withName(name).get();
    Pod pod = chart.operatorPod();
    assertThat(pod.getSpec().getServiceAccountName()).isEqualTo(name);
    assertThat(pod.getSpec().getContainers().get(0).getArgs())
        .isEqualTo(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
    // the ServiceAccount admission plugin gave it the projected token its client authenticates with
    assertThat(pod.getSpec().getVolumes().stream().filter(v -> v.getProjected() != null)
        .flatMap(v -> v.getProjected().getSources().stream()))
        .anySatisfy(s -> assertThat(s.getServiceAccountToken()).isNotNull());
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(scheduled(admin, pod))
        .satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo("Unschedulable");
        }));
  }

  @Test
  void twoReleasesCoexist(ControlPlane controlPlane) {
    InstalledChart one = InstalledChart.install(controlPlane, "one", "one-system", "");
    InstalledChart two = InstalledChart.install(controlPlane, "two", "two-system", "");
    KubernetesClient admin = controlPlane.admin();

    assertThat(two.status().getStatus()).isEqualTo("deployed");
    for (InstalledChart chart : new InstalledChart[] {one, two}) {
      ClusterRoleBinding b = admin.rbac().clusterRoleBindings().withName(chart.fullname()).get();
      assertThat(Rbac.subjects(JSON.valueToTree(b)))
          .containsExactly("ServiceAccount " + chart.namespace() + "/" + chart.fullname());
      assertThat(admin.rbac().clusterRoles().withName(chart.fullname() + ":cluster-scoped").get()).isNotNull();
    }
  }

  @Test
  void anIngressClassAndItsLoadBalancer(ControlPlane controlPlane) {
    InstalledChart chart = InstalledChart.install(controlPlane, "web", "web-system", """
        ingressClass:
          enabled: true
          name: web-gantry
          loadBalancer: {name: shared, create: true, serviceType: NodePort}
        """);
    KubernetesClient admin = controlPlane.admin();

    assertThat(chart.status().getStatus()).isEqualTo("deployed");
    IngressClass ingressClass = admin.network().v1().ingressClasses().withName("web-gantry").get();
    assertThat(ingressClass.getSpec().getController()).isEqualTo("gantry.dev/ingress-controller");
    assertThat(ingressClass.getSpec().getParameters().getKind()).isEqualTo("LoadBalancer");
    assertThat(ingressClass.getSpec().getParameters().getScope()).isEqualTo("Namespace");
    assertThat(ingressClass.getSpec().getParameters().getNamespace()).isEqualTo("web-system");
    assertThat(ingressClass.getSpec().getParameters().getName()).isEqualTo("shared");
    // the LoadBalancer passed the CRD's schema and its validation rules
    LoadBalancerResource lb = admin.resources(LoadBalancerResource.class).inNamespace("web-system")
        .withName("shared").get();
    JsonNode spec = JSON.valueToTree(lb.getSpec());
    assertThat(spec.at("/listeners/0/port").asInt()).isEqualTo(80);
    assertThat(spec.at("/listeners/1/protocol").asText()).isEqualTo("HTTPS");
    assertThat(spec.at("/service/type").asText()).isEqualTo("NodePort");
    assertThat(spec.at("/deployment/replicas").asInt()).isEqualTo(2);
  }

  private static PodCondition scheduled(KubernetesClient admin, Pod pod) {
    Pod now = admin.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
    return now.getStatus().getConditions().stream().filter(c -> c.getType().equals("PodScheduled")).findFirst()
        .orElseThrow();
  }
}
