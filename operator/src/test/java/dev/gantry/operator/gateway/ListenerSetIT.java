package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.gantry.operator.gateway.GatewayApiOperator.condition;
import static dev.gantry.operator.gateway.GatewayApiOperator.eventually;

import dev.gantry.model.Listener;
import dev.gantry.model.Route;
import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.gateway.api.GatewayClassResource;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.gateway.api.ListenerSetResource;
import dev.gantry.operator.gateway.api.RouteStatus;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.ControlPlaneExtension;
import dev.gantry.operator.testing.GantryRelease;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ListenerSets on the real API server, with the standard-channel CRDs and the chart's Gateway API permissions: a
 * ListenerSet of another namespace that the Gateway allows adds its listener to the Gateway's LoadBalancer, a route
 * attached to it through a ListenerSet parentRef is served there, and the ListenerSet, the route and the Gateway
 * are told; a ListenerSet the Gateway does not allow is told {@code NotAllowed}.
 */
@ExtendWith(ControlPlaneExtension.class)
class ListenerSetIT {

  GatewayApiOperator gateways;
  KubernetesClient client;
  Cluster cluster;
  Cluster other;

  @BeforeEach
  void start(GantryRelease gantry) {
    gateways = GatewayApiOperator.start(gantry, "ls", "ls-other");
    cluster = gateways.namespace(0);
    other = gateways.namespace(1);
    client = gateways.client();
  }

  @AfterEach
  void stop() {
    if (gateways != null) {
      gateways.close();
    }
  }

  @Test
  void anAllowedListenerSetOfAnotherNamespaceIsServedByTheGatewaysFleetAndToldSo() {
    String className = cluster.namespace() + "-class";
    String ns = cluster.namespace();
    String theirs = other.namespace();
    try {
      gateways.apply(GatewayClassResource.class, null, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: GatewayClass
          metadata: {name: %s}
          spec: {controllerName: gantry.dev/gateway-controller}
          """.formatted(className));
      other.service("blog", 8080, "http", 8080);
      gateways.apply(GatewayResource.class, ns, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: shared}
          spec:
            gatewayClassName: %s
            allowedListeners: {namespaces: {from: All}}
            listeners:
            - {name: http, port: 80, protocol: HTTP, hostname: shop.example.com}
          """.formatted(className));
      gateways.apply(GatewayResource.class, ns, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: closed}
          spec:
            gatewayClassName: %s
            listeners:
            - {name: http, port: 80, protocol: HTTP}
          """.formatted(className));
      gateways.apply(ListenerSetResource.class, theirs, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: ListenerSet
          metadata: {name: blog}
          spec:
            parentRef: {name: shared, namespace: %s}
            listeners:
            - {name: blog, port: 8080, protocol: HTTP, hostname: blog.example.com}
          """.formatted(ns));
      gateways.apply(ListenerSetResource.class, theirs, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: ListenerSet
          metadata: {name: refused}
          spec:
            parentRef: {name: closed, namespace: %s}
            listeners:
            - {name: extra, port: 8081, protocol: HTTP}
          """.formatted(ns));
      gateways.apply(HttpRouteResource.class, theirs, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: {name: blog}
          spec:
            parentRefs: [{kind: ListenerSet, name: blog}]
            rules: [{backendRefs: [{name: blog, port: 8080}]}]
          """);

      eventually().untilAsserted(() -> {
        LoadBalancerResource lb = cluster.loadBalancer(GatewayLoadBalancers.name("shared"));
        assertThat(lb.getSpec().listeners()).extracting(Listener::name).containsExactly("port-80", "port-8080");
        Route blog = lb.getSpec().routes().stream().filter(r -> r.name().startsWith("httproute-" + theirs + "-blog"))
            .findFirst().orElseThrow();
        assertThat(blog.listeners()).containsExactly("port-8080");
        assertThat(blog.hosts()).containsExactly("blog.example.com");
        assertThat(cluster.loadBalancer(GatewayLoadBalancers.name("closed")).getSpec().listeners())
            .extracting(Listener::name).containsExactly("port-80");
      });

      eventually().untilAsserted(() -> {
        ListenerSetResource blog = other.get(ListenerSetResource.class, "blog");
        assertThat(condition(blog.getStatus().conditions(), "Accepted").reason()).isEqualTo("Accepted");
        // no proxy pod runs here, so the ListenerSet waits for the Gateway's fleet
        assertThat(condition(blog.getStatus().conditions(), "Programmed").reason()).isEqualTo("Pending");
        assertThat(condition(blog.getStatus().conditions(), "Accepted").observedGeneration()).isEqualTo(1L);
        GatewayResource.ListenerStatus listener = blog.getStatus().listeners().get(0);
        assertThat(listener.name()).isEqualTo("blog");
        assertThat(listener.attachedRoutes()).isEqualTo(1);
        assertThat(condition(listener.conditions(), "Accepted").status()).isEqualTo("True");
        ListenerSetResource refused = other.get(ListenerSetResource.class, "refused");
        assertThat(condition(refused.getStatus().conditions(), "Accepted").reason()).isEqualTo("NotAllowed");
        assertThat(condition(refused.getStatus().conditions(), "Programmed").reason()).isEqualTo("NotAllowed");
        GatewayResource shared = cluster.get(GatewayResource.class, "shared");
        assertThat(shared.getStatus().attachedListenerSets()).isEqualTo(1);
        assertThat(shared.getStatus().listeners()).extracting(GatewayResource.ListenerStatus::name)
            .containsExactly("http");
        RouteStatus.Parent parent = client.resources(HttpRouteResource.class).inNamespace(theirs).withName("blog")
            .get().getStatus().parents().get(0);
        assertThat(parent.parentRef().kind()).isEqualTo("ListenerSet");
        assertThat(condition(parent.conditions(), "Accepted").status()).isEqualTo("True");
      });
    } finally {
      client.resources(GatewayClassResource.class).withName(className).delete();
    }
  }
}
