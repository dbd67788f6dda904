package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import dev.gantry.model.Condition;
import dev.gantry.model.Listener;
import dev.gantry.model.Route;
import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.gateway.api.GatewayClassResource;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.gateway.api.ListenerSetResource;
import dev.gantry.operator.gateway.api.RouteStatus;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.ControlPlane;
import dev.gantry.operator.testing.ControlPlaneExtension;
import dev.gantry.operator.testing.GantryRelease;
import dev.gantry.operator.translate.FleetSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.awaitility.core.ConditionFactory;
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

  KubernetesClient client;
  Cluster cluster;
  Cluster other;
  GantryOperator operator;

  @BeforeEach
  void start(GantryRelease gantry) {
    ControlPlane cp = gantry.controlPlane();
    Path root = ControlPlane.scripts().getParent().getParent();
    cp.kubectl("apply", "--server-side", "-f", root.resolve("charts/gantry/files/gateway-api-v1.6.3").toString());
    cp.kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd/gateways.gateway.networking.k8s.io",
        "crd/httproutes.gateway.networking.k8s.io", "crd/listenersets.gateway.networking.k8s.io");
    new Helm(root.resolve("charts").resolve("gantry")).upgrade().withKubeConfig(cp.kubeconfig())
        .withName(GantryRelease.RELEASE).withNamespace(GantryRelease.NAMESPACE).reuseValues()
        .set("gatewayAPI.enabled", "true").call();
    cluster = Cluster.inNewNamespace(cp, "ls");
    other = Cluster.inNewNamespace(cp, "ls-other");
    client = cluster.client();
    operator = new GantryOperator(new GantryOperator.Config(gantry.operatorClient(), Set.of(),
        new FleetSettings("gantry/proxy:test", "IfNotPresent", 8404), Optional.empty(), new SimpleMeterRegistry(),
        true, true)).start();
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
    client.namespaces().withName(cluster.namespace()).delete();
    client.namespaces().withName(other.namespace()).delete();
  }

  static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions();
  }

  <T extends HasMetadata> T apply(Class<T> type, String namespace, String yaml) {
    T object = client.getKubernetesSerialization().unmarshal(yaml, type);
    if (namespace != null) {
      object.getMetadata().setNamespace(namespace);
    }
    return client.resource(object).fieldManager(Cluster.USER).forceConflicts().serverSideApply();
  }

  static Condition condition(List<Condition> conditions, String type) {
    return conditions == null ? null : conditions.stream().filter(c -> type.equals(c.type())).findFirst().orElse(null);
  }

  @Test
  void anAllowedListenerSetOfAnotherNamespaceIsServedByTheGatewaysFleetAndToldSo() {
    String className = cluster.namespace() + "-class";
    String ns = cluster.namespace();
    String theirs = other.namespace();
    try {
      apply(GatewayClassResource.class, null, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: GatewayClass
          metadata: {name: %s}
          spec: {controllerName: gantry.dev/gateway-controller}
          """.formatted(className));
      other.service("blog", 8080, "http", 8080);
      apply(GatewayResource.class, ns, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: shared}
          spec:
            gatewayClassName: %s
            allowedListeners: {namespaces: {from: All}}
            listeners:
            - {name: http, port: 80, protocol: HTTP, hostname: shop.example.com}
          """.formatted(className));
      apply(GatewayResource.class, ns, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: Gateway
          metadata: {name: closed}
          spec:
            gatewayClassName: %s
            listeners:
            - {name: http, port: 80, protocol: HTTP}
          """.formatted(className));
      apply(ListenerSetResource.class, theirs, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: ListenerSet
          metadata: {name: blog}
          spec:
            parentRef: {name: shared, namespace: %s}
            listeners:
            - {name: blog, port: 8080, protocol: HTTP, hostname: blog.example.com}
          """.formatted(ns));
      apply(ListenerSetResource.class, theirs, """
          apiVersion: gateway.networking.k8s.io/v1
          kind: ListenerSet
          metadata: {name: refused}
          spec:
            parentRef: {name: closed, namespace: %s}
            listeners:
            - {name: extra, port: 8081, protocol: HTTP}
          """.formatted(ns));
      apply(HttpRouteResource.class, theirs, """
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
