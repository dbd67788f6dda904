package dev.gantry.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code helm template} with Gateway API switched on: the flag, least-privilege RBAC, CRDs and class on request. */
class GatewayApiValuesTest {

  static final Set<String> READ = Set.of("get", "list", "watch");
  static final Set<String> WRITE_STATUS = Set.of("update", "patch");

  @Test
  void offByDefault() {
    Rendered chart = Chart.render();

    assertThat(chart.operatorArgs()).doesNotContain("--gateway-api");
    assertThat(chart.names()).noneMatch(n -> n.contains("gateway"));
    assertThat(chart.all("CustomResourceDefinition")).isEmpty();
  }

  @Test
  void enabledPassesTheFlagAndGrantsReadsAndStatusWritesOnly() {
    Rendered chart = Chart.render("gatewayAPI: {enabled: true}\n");

    assertThat(chart.operatorArgs()).contains("--gateway-api");
    assertThat(Rbac.grants(chart.one("ClusterRole", "gantry:gateway-api"))).isEqualTo(Map.ofEntries(
        Map.entry("gateway.networking.k8s.io/gatewayclasses", READ),
        Map.entry("gateway.networking.k8s.io/gateways", READ),
        Map.entry("gateway.networking.k8s.io/httproutes", READ),
        Map.entry("gateway.networking.k8s.io/grpcroutes", READ),
        Map.entry("gateway.networking.k8s.io/tlsroutes", READ),
        Map.entry("gateway.networking.k8s.io/tcproutes", READ),
        Map.entry("gateway.networking.k8s.io/referencegrants", READ),
        Map.entry("gateway.networking.k8s.io/backendtlspolicies", READ),
        Map.entry("gateway.networking.k8s.io/listenersets", READ),
        Map.entry("gateway.networking.k8s.io/gatewayclasses/status", WRITE_STATUS),
        Map.entry("gateway.networking.k8s.io/gateways/status", WRITE_STATUS),
        Map.entry("gateway.networking.k8s.io/httproutes/status", WRITE_STATUS),
        Map.entry("gateway.networking.k8s.io/grpcroutes/status", WRITE_STATUS),
        Map.entry("gateway.networking.k8s.io/tlsroutes/status", WRITE_STATUS),
        Map.entry("gateway.networking.k8s.io/tcproutes/status", WRITE_STATUS),
        Map.entry("gateway.networking.k8s.io/backendtlspolicies/status", WRITE_STATUS),
        Map.entry("gateway.networking.k8s.io/listenersets/status", WRITE_STATUS),
        Map.entry("core/namespaces", READ)));
    assertThat(Rbac.subjects(chart.one("ClusterRoleBinding", "gantry:gateway-api")))
        .containsExactly("ServiceAccount gantry-system/gantry");
    // neither CRDs nor a class unless asked
    assertThat(chart.all("CustomResourceDefinition")).isEmpty();
    assertThat(chart.all("GatewayClass")).isEmpty();
  }

  @Test
  void installsTheStandardChannelCrdsKeptOnUninstallAndTheClassWhenAsked() {
    Rendered chart = Chart.render("""
        gatewayAPI:
          enabled: true
          installCRDs: true
          gatewayClass: {create: true, name: edge}
        """);

    assertThat(chart.all("CustomResourceDefinition")).extracting(c -> c.at("/metadata/name").asText())
        .contains("gatewayclasses.gateway.networking.k8s.io", "gateways.gateway.networking.k8s.io",
            "httproutes.gateway.networking.k8s.io", "grpcroutes.gateway.networking.k8s.io",
            "tcproutes.gateway.networking.k8s.io", "referencegrants.gateway.networking.k8s.io",
            "backendtlspolicies.gateway.networking.k8s.io");
    assertThat(chart.all("CustomResourceDefinition")).allSatisfy(c -> {
      assertThat(c.at("/metadata/annotations/helm.sh~1resource-policy").asText()).isEqualTo("keep");
      assertThat(c.at("/metadata/annotations/gateway.networking.k8s.io~1channel").asText()).isEqualTo("standard");
      assertThat(c.at("/metadata/annotations/gateway.networking.k8s.io~1bundle-version").asText()).isEqualTo("v1.6.3");
    });
    JsonNode gc = chart.one("GatewayClass", "edge");
    assertThat(gc.at("/spec/controllerName").asText()).isEqualTo("gantry.dev/gateway-controller");
  }

  @Test
  void refusesWatchedNamespacesBecauseGatewaysReachAcrossThem() {
    assertThatThrownBy(() -> Chart.render("gatewayAPI: {enabled: true}\nwatchNamespaces: [web]\n"))
        .hasMessageContaining("watchNamespaces");
  }
}
