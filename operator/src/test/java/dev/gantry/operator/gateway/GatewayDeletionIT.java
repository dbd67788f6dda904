package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.gantry.operator.gateway.GatewayApiOperator.eventually;

import dev.gantry.model.Condition;
import dev.gantry.operator.gateway.api.GatewayClassResource;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.gateway.api.ParentRef;
import dev.gantry.operator.gateway.api.RouteStatus;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.ControlPlaneExtension;
import dev.gantry.operator.testing.GantryRelease;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On the real API server: a route's status loses Gantry's entry for a Gateway its parentRefs no longer name, and
 * the entries of a deleted Gateway (the last one of its class, without a finalizer); another controller's entries
 * stay.
 */
@ExtendWith(ControlPlaneExtension.class)
class GatewayDeletionIT {

  GatewayApiOperator gateways;
  KubernetesClient client;
  Cluster cluster;

  @BeforeEach
  void start(GantryRelease gantry) {
    gateways = GatewayApiOperator.start(gantry, "gw-del");
    cluster = gateways.namespace(0);
    client = gateways.client();
  }

  @AfterEach
  void stop() {
    if (gateways != null) {
      gateways.close();
    }
  }

  /** Applies {@code yaml} in the test's namespace, a GatewayClass (cluster-scoped) as it is. */
  <T extends HasMetadata> void apply(Class<T> type, String yaml) {
    gateways.apply(type, type == GatewayClassResource.class ? null : cluster.namespace(), yaml);
  }

  List<String> parents() {
    HttpRouteResource r = cluster.get(HttpRouteResource.class, "shop");
    return r.getStatus() == null ? List.of() : r.getStatus().parentsOrEmpty().stream()
        .map(p -> p.controllerName() + " " + p.parentRef().name()).sorted().toList();
  }

  @Test
  void aDeletedGatewaysEntriesLeaveItsRoutesStatusAndOtherControllersEntriesStay() {
    String className = cluster.namespace() + "-class";
    try {
      apply(GatewayClassResource.class, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: GatewayClass
          metadata: {name: %s}
          spec: {controllerName: gantry.dev/gateway-controller}
          """.formatted(className));
      for (String name : List.of("edge", "spare")) {
        apply(GatewayResource.class, """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: %s}
            spec:
              gatewayClassName: %s
              listeners: [{name: http, port: 80, protocol: HTTP}]
            """.formatted(name, className));
      }
      cluster.service("web", 8080, "http", 8080);
      apply(HttpRouteResource.class, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: shop}
          spec:
            parentRefs: [{name: edge}, {name: spare}]
            rules: [{backendRefs: [{name: web, port: 8080}]}]
          """);
      eventually().untilAsserted(() -> assertThat(parents()).containsExactly(
          "gantry.dev/gateway-controller edge", "gantry.dev/gateway-controller spare"));
      // another controller's entry for the same Gateway
      // (retried: the operator writes the same status, and a concurrent write is refused with 409)
      eventually().until(() -> client.resources(HttpRouteResource.class).inNamespace(cluster.namespace()).withName("shop")
          .editStatus(r -> {
        List<RouteStatus.Parent> parents = new ArrayList<>(r.getStatus().parentsOrEmpty());
        parents.add(new RouteStatus.Parent(new ParentRef(null, null, null, "edge", null, null), "example.com/other",
            List.of(new Condition("Accepted", "True", 1L, "2026-01-01T00:00:00Z", "Accepted", "theirs"))));
        r.setStatus(new RouteStatus(parents));
        return r;
      }) != null);
      eventually().untilAsserted(() -> assertThat(parents()).contains("example.com/other edge"));
      GatewayResource edge = cluster.get(GatewayResource.class, "edge");
      assertThat(edge.getMetadata().getFinalizers()).isNullOrEmpty();

      // a parentRef no longer naming a Gateway: its entry goes when that Gateway is reconciled
      apply(HttpRouteResource.class, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: shop}
          spec:
            parentRefs: [{name: edge}]
            rules: [{backendRefs: [{name: web, port: 8080}]}]
          """);
      eventually().untilAsserted(() -> assertThat(parents()).containsExactly(
          "example.com/other edge", "gantry.dev/gateway-controller edge"));
      client.resources(GatewayResource.class).inNamespace(cluster.namespace()).withName("spare").delete();

      // the last Gateway of the class: no other Gateway's reconciliation would notice its deletion
      client.resources(GatewayResource.class).inNamespace(cluster.namespace()).withName("edge").delete();
      eventually().untilAsserted(() -> assertThat(parents()).containsExactly("example.com/other edge"));
    } finally {
      client.resources(GatewayClassResource.class).withName(className).delete();
    }
  }
}
