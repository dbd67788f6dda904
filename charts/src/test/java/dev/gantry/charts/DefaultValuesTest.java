package dev.gantry.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code helm template} with the default values: what a plain {@code helm install gantry charts/gantry} creates. */
class DefaultValuesTest {

  static Rendered chart;

  @BeforeAll
  static void render() {
    chart = Chart.render();
  }

  @Test
  void createsTheOperatorAndWhatItNeedsAndNothingOptional() {
    assertThat(chart.names()).containsExactlyInAnyOrder(
        "ServiceAccount/gantry",
        "ClusterRole/gantry",
        "ClusterRoleBinding/gantry",
        "ClusterRole/gantry:cluster-scoped",
        "ClusterRoleBinding/gantry:cluster-scoped",
        "Role/gantry:leader-election",
        "RoleBinding/gantry:leader-election",
        "Deployment/gantry",
        "Service/gantry",
        "PodDisruptionBudget/gantry");
    chart.documents().stream()
        .filter(d -> !d.path("kind").asText().startsWith("Cluster"))
        .forEach(d -> assertThat(d.at("/metadata/namespace").asText()).as(d.at("/metadata/name").asText())
            .isEqualTo(Chart.NAMESPACE));
  }

  @Test
  void passesTheProxyImageAndTheReleaseNamespaceToTheOperator() {
    assertThat(chart.operatorArgs()).containsExactly(
        "--proxy-image=gantry/proxy:0.1.0",
        "--proxy-image-pull-policy=IfNotPresent",
        "--proxy-admin-port=8404",
        "--health-port=8080",
        "--leader-election-namespace=gantry-system",
        "--log-format=text");
    assertThat(OperatorFlags.parse(chart.operatorArgs()))
        .containsEntry("--proxy-image", "gantry/proxy:0.1.0")
        .containsEntry("--leader-election-namespace", "gantry-system")
        .doesNotContainKey("--namespaces");
  }

  @Test
  void runsTheOperatorImageOfTheAppVersion() {
    JsonNode container = chart.operatorContainer();

    assertThat(container.path("image").asText()).isEqualTo("gantry/operator:0.1.0");
    assertThat(container.path("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
    assertThat(container.at("/env/0/name").asText()).isEqualTo("GANTRY_LOG_LEVEL");
    assertThat(container.at("/env/0/value").asText()).isEqualTo("INFO");
    assertThat(container.path("env")).hasSize(1);
  }

  @Test
  void locksThePodDown() {
    JsonNode pod = chart.only("Deployment").at("/spec/template/spec");
    JsonNode container = chart.operatorContainer();

    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/runAsUser").asLong()).isEqualTo(65532);
    assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    assertThat(container.at("/securityContext/allowPrivilegeEscalation").isBoolean()).isTrue();
    assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(Rendered.strings(container.at("/securityContext/capabilities/drop"))).containsExactly("ALL");
    assertThat(container.at("/securityContext/capabilities/add").isMissingNode()).isTrue();
    assertThat(container.at("/securityContext/privileged").asBoolean(false)).isFalse();
    // the JVM's only writable path
    assertThat(container.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");
    assertThat(pod.at("/volumes/0/emptyDir/sizeLimit").asText()).isEqualTo("64Mi");
    assertThat(pod.path("hostNetwork").asBoolean(false)).isFalse();
    assertThat(pod.path("serviceAccountName").asText()).isEqualTo("gantry");
  }

  @Test
  void hasResourcesProbesAndADisruptionBudget() {
    JsonNode container = chart.operatorContainer();

    assertThat(container.at("/resources/requests/cpu").asText()).isEqualTo("100m");
    assertThat(container.at("/resources/requests/memory").asText()).isEqualTo("256Mi");
    assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("512Mi");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
    JsonNode pdb = chart.only("PodDisruptionBudget");
    assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
    assertThat(pdb.at("/spec/selector/matchLabels")).isEqualTo(chart.only("Deployment").at("/spec/selector/matchLabels"));
    assertThat(chart.only("Service").at("/spec/selector")).isEqualTo(chart.only("Deployment").at("/spec/selector/matchLabels"));
  }

  @Test
  void grantsTheOperatorOnlyTheVerbsItUses() {
    assertThat(Rbac.grants(chart.one("ClusterRole", "gantry"))).isEqualTo(Rbac.OPERATOR);
    assertThat(Rbac.grants(chart.one("ClusterRole", "gantry:cluster-scoped"))).isEqualTo(Map.of(
        "networking.k8s.io/ingressclasses", Set.of("get", "list", "watch")));
    assertThat(chart.documents()).allSatisfy(d -> assertThat(d.toString()).doesNotContain("\"*\""));
  }

  @Test
  void bindsTheRolesToTheOperatorsServiceAccount() {
    JsonNode binding = chart.one("ClusterRoleBinding", "gantry");

    assertThat(binding.at("/roleRef/kind").asText()).isEqualTo("ClusterRole");
    assertThat(binding.at("/roleRef/name").asText()).isEqualTo("gantry");
    assertThat(Rbac.subjects(binding)).containsExactly("ServiceAccount gantry-system/gantry");
    assertThat(Rbac.subjects(chart.one("ClusterRoleBinding", "gantry:cluster-scoped")))
        .containsExactly("ServiceAccount gantry-system/gantry");
    assertThat(Rbac.subjects(chart.one("RoleBinding", "gantry:leader-election")))
        .containsExactly("ServiceAccount gantry-system/gantry");
  }

  @Test
  void letsTheOperatorTakeOnlyItsOwnLease() {
    JsonNode role = chart.one("Role", "gantry:leader-election");

    assertThat(role.at("/metadata/namespace").asText()).isEqualTo(Chart.NAMESPACE);
    assertThat(role.path("rules")).hasSize(2);
    assertThat(role.at("/rules/0/resourceNames").isMissingNode()).isTrue();
    assertThat(Rendered.strings(role.at("/rules/0/verbs"))).containsExactly("create");
    assertThat(Rendered.strings(role.at("/rules/1/resourceNames"))).containsExactly("gantry-operator-leader");
    // renewed with a PATCH; "update" is what java-operator-sdk checks for before it starts
    assertThat(Rendered.strings(role.at("/rules/1/verbs"))).containsExactlyInAnyOrder("get", "update", "patch");
    assertThat(Rendered.strings(role.at("/rules/1/resources"))).isEqualTo(List.of("leases"));
  }
}
