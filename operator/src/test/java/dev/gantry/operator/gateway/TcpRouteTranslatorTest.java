package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Backend;
import dev.gantry.model.Endpoint;
import dev.gantry.model.Listener;
import dev.gantry.operator.gateway.api.TcpRouteResource;
import dev.gantry.operator.translate.ClusterRefs;
import dev.gantry.operator.translate.ModelResolverTest;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TCPRoutes on TCP listeners: the listener's default backend, and what each route is told. */
class TcpRouteTranslatorTest {

  static final String GATEWAY = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: infra}
      spec:
        gatewayClassName: gantry
        listeners:
        - {name: one, port: 9001, protocol: TCP}
        - {name: two, port: 9002, protocol: TCP}
        - {name: web, port: 80, protocol: HTTP}
      """;

  private final List<TcpRouteResource> routes = new ArrayList<>();
  private final Map<String, ClusterRefs> refs = Map.of(
      "infra", new ClusterRefs(Map.of(
          "v1", GatewayTranslatorTest.service("v1", 3000),
          "v2", GatewayTranslatorTest.service("v2", 3000),
          "v3", GatewayTranslatorTest.service("v3", 3000)),
          Map.of("v1", List.of(ModelResolverTest.slice("v1", "p", 3000, "10.0.1.1")),
              "v2", List.of(ModelResolverTest.slice("v2", "p", 3000, "10.0.2.1", "10.0.2.2")),
              "v3", List.of(ModelResolverTest.slice("v3", "p", 3000, "10.0.3.1"))),
          Map.of()),
      "apps", new ClusterRefs(Map.of("db", GatewayTranslatorTest.service("db", 5432)), Map.of(), Map.of()));

  TcpRouteResource route(String name, String created, String spec) {
    TcpRouteResource r = Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: TCPRoute
        metadata: {name: %s, namespace: infra, uid: %s, generation: 1, creationTimestamp: "%s"}
        spec:
        """.formatted(name, name, created) + spec.indent(2), TcpRouteResource.class);
    routes.add(r);
    return r;
  }

  GatewayPlan plan() {
    return GatewayTranslator.translate(new GatewayInputs(GatewayTranslatorTest.gateway(GATEWAY), List.of(),
        List.of(), routes, List.of(), Map.of(), List.of(), ns -> refs.getOrDefault(ns, ClusterRefs.NONE)));
  }

  static Listener listener(GatewayPlan plan, int port) {
    return plan.spec().listenersOrEmpty().stream().filter(l -> l.port() == port).findFirst().orElseThrow();
  }

  static Backend backend(GatewayPlan plan, String name) {
    return plan.spec().backendsOrEmpty().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aTcpListenersConnectionsGoToItsRoutesServiceAndAPortWithoutRouteRefusesThem() {
    TcpRouteResource r = route("db", "2026-01-01T00:00:00Z", """
        parentRefs: [{name: gw, sectionName: one}]
        rules: [{backendRefs: [{name: v1, port: 3000}]}]
        """);
    GatewayPlan plan = plan();

    assertThat(listener(plan, 9001).protocol().name()).isEqualTo("TCP");
    assertThat(listener(plan, 9001).defaultBackend()).isEqualTo("svc-v1-3000");
    assertThat(backend(plan, "svc-v1-3000").service().name()).isEqualTo("v1");
    assertThat(listener(plan, 9002).defaultBackend()).isEqualTo(BackendRefs.UNRESOLVED.name());
    // TCP routes are not model routes: the listener's default backend carries them
    assertThat(plan.spec().routesOrEmpty()).isEmpty();
    ParentVerdict v = GatewayTranslatorTest.only(plan, r);
    assertThat(v.acceptedReason()).isEqualTo("Accepted");
    assertThat(v.refsReason()).isEqualTo("ResolvedRefs");
    assertThat(plan.attachedRoutes()).containsEntry("one", 1).containsEntry("two", 0).containsEntry("web", 0);
    assertThat(plan.listeners().get(0).supportedKinds()).extracting(k -> k.kind()).containsExactly("TCPRoute");
    assertThat(TlsRouteHostnamesTest.validate(plan)).isEmpty();
  }

  @Test
  void ofTwoRoutesOnOneListenerBothAreAcceptedAndCountedButTheOldestTakesTheConnections() {
    TcpRouteResource newer = route("newer", "2026-01-02T00:00:00Z", """
        parentRefs: [{name: gw, sectionName: one}]
        rules: [{backendRefs: [{name: v2, port: 3000}]}]
        """);
    TcpRouteResource older = route("older", "2026-01-01T00:00:00Z", """
        parentRefs: [{name: gw, port: 9001}]
        rules: [{backendRefs: [{name: v1, port: 3000}]}]
        """);
    GatewayPlan plan = plan();

    assertThat(listener(plan, 9001).defaultBackend()).isEqualTo("svc-v1-3000");
    assertThat(GatewayTranslatorTest.only(plan, newer).acceptedReason()).isEqualTo("Accepted");
    assertThat(GatewayTranslatorTest.only(plan, older).acceptedReason()).isEqualTo("Accepted");
    assertThat(plan.attachedRoutes()).containsEntry("one", 2);
    assertThat(plan.spec().backendsOrEmpty()).extracting(Backend::name).doesNotContain("svc-v2-3000");
  }

  @Test
  void aRouteWithoutSectionNameOrPortAttachesToEveryTcpListenerAndNotToTheHttpOne() {
    route("all", "2026-01-01T00:00:00Z", """
        parentRefs: [{name: gw}]
        rules: [{backendRefs: [{name: v1, port: 3000}]}]
        """);
    GatewayPlan plan = plan();

    assertThat(listener(plan, 9001).defaultBackend()).isEqualTo("svc-v1-3000");
    assertThat(listener(plan, 9002).defaultBackend()).isEqualTo("svc-v1-3000");
    assertThat(listener(plan, 80).defaultBackend()).isNull();
    assertThat(plan.attachedRoutes()).containsEntry("one", 1).containsEntry("two", 1).containsEntry("web", 0);
  }

  @Test
  void weightedServicesBecomeOneBackendWhoseEndpointsCarryEachServicesShare() {
    route("split", "2026-01-01T00:00:00Z", """
        parentRefs: [{name: gw, sectionName: one}]
        rules:
        - backendRefs: [{name: v1, port: 3000, weight: 70}, {name: v2, port: 3000, weight: 30},
            {name: v3, port: 3000, weight: 0}]
        """);
    GatewayPlan plan = plan();

    String name = listener(plan, 9001).defaultBackend();
    assertThat(name).isEqualTo("tcproute-infra-split");
    // v1: 70 on one endpoint; v2: 30 split over two; v3 (weight 0) left out
    assertThat(backend(plan, name).endpoints()).containsExactly(new Endpoint("10.0.1.1", 3000, 256),
        new Endpoint("10.0.2.1", 3000, 55), new Endpoint("10.0.2.2", 3000, 55));
    assertThat(TlsRouteHostnamesTest.validate(plan)).isEmpty();
  }

  @Test
  void routesThatCannotAttachOrResolveAreToldWhy() {
    TcpRouteResource onHttp = route("on-http", "2026-01-01T00:00:00Z", """
        parentRefs: [{name: gw, sectionName: web}]
        rules: [{backendRefs: [{name: v1, port: 3000}]}]
        """);
    TcpRouteResource missing = route("missing", "2026-01-02T00:00:00Z", """
        parentRefs: [{name: gw, sectionName: one}]
        rules: [{backendRefs: [{name: nowhere, port: 3000}]}]
        """);
    TcpRouteResource stranger = route("stranger", "2026-01-03T00:00:00Z", """
        parentRefs: [{name: gw, sectionName: two}]
        rules: [{backendRefs: [{name: db, namespace: apps, port: 5432}]}]
        """);
    GatewayPlan plan = plan();

    assertThat(GatewayTranslatorTest.only(plan, onHttp).acceptedReason()).isEqualTo("NotAllowedByListeners");
    assertThat(GatewayTranslatorTest.only(plan, missing).acceptedReason()).isEqualTo("Accepted");
    assertThat(GatewayTranslatorTest.only(plan, missing).refsReason()).isEqualTo("BackendNotFound");
    assertThat(GatewayTranslatorTest.only(plan, stranger).refsReason()).isEqualTo("RefNotPermitted");
    // connections of a reference that cannot be used are refused, never sent elsewhere
    assertThat(listener(plan, 9001).defaultBackend()).isEqualTo(BackendRefs.UNRESOLVED.name());
    assertThat(listener(plan, 9002).defaultBackend()).isEqualTo(BackendRefs.UNRESOLVED.name());
    assertThat(plan.attachedRoutes()).containsEntry("web", 0);
    assertThat(TlsRouteHostnamesTest.validate(plan)).isEmpty();
  }

  @Test
  void twoTcpListenersOnOnePortConflictWhateverTheirHostnames() {
    List<CheckedListener> checked = ListenerChecks.check(GatewayTranslatorTest.gateway("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: infra}
        spec:
          gatewayClassName: gantry
          listeners:
          - {name: a, port: 9001, protocol: TCP, hostname: a.example.com}
          - {name: b, port: 9001, protocol: TCP, hostname: b.example.com}
        """), ns -> Map.of(), List.of());

    assertThat(checked).extracting(CheckedListener::conflictReason).containsOnly("HostnameConflict");
  }
}
