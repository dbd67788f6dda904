package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Backend;
import dev.gantry.model.BackendProtocol;
import dev.gantry.model.PathMatch;
import dev.gantry.model.PathType;
import dev.gantry.model.Route;
import dev.gantry.model.RouteBackend;
import dev.gantry.operator.gateway.api.GrpcRouteResource;
import dev.gantry.operator.translate.ClusterRefs;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GRPCRoutes as HTTP routes by path (/service/method) to h2c backends, and what each route is told. */
class GrpcRouteTranslatorTest {

  static final String GATEWAY = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: infra}
      spec:
        gatewayClassName: gantry
        listeners:
        - {name: web, port: 80, protocol: HTTP, hostname: "*.example.com"}
        - {name: pass, port: 443, protocol: TLS, tls: {mode: Passthrough}}
      """;

  private final List<GrpcRouteResource> routes = new ArrayList<>();
  private final Map<String, ClusterRefs> refs = Map.of("infra", new ClusterRefs(Map.of(
      "echo", GatewayTranslatorTest.service("echo", 8080), "echo2", GatewayTranslatorTest.service("echo2", 8080)),
      Map.of(), Map.of()));

  GrpcRouteResource route(String name, String spec) {
    GrpcRouteResource r = Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: %s, namespace: infra, uid: %s, generation: 1}
        spec:
        """.formatted(name, name) + spec.indent(2), GrpcRouteResource.class);
    routes.add(r);
    return r;
  }

  GatewayPlan plan() {
    return GatewayTranslator.translate(new GatewayInputs(GatewayTranslatorTest.gateway(GATEWAY), List.of(),
        List.of(), List.of(), routes, Map.of(), List.of(), ns -> refs.getOrDefault(ns, ClusterRefs.NONE)));
  }

  @Test
  void methodMatchesBecomePathsAndBackendsAreSpokenToInH2c() {
    GrpcRouteResource r = route("echo", """
        parentRefs: [{name: gw}]
        hostnames: [grpc.example.com, other.test]
        rules:
        - matches:
          - method: {service: gateway_api_conformance.echo_basic.grpcecho.GrpcEcho, method: Echo}
            headers: [{name: X-Tier, value: gold}]
          - method: {service: pkg.Svc}
          - method: {method: Ping}
          - method: {type: RegularExpression, service: "pkg\\\\..*", method: "Get.*"}
          filters:
          - type: RequestHeaderModifier
            requestHeaderModifier: {set: [{name: X-Via, value: gantry}]}
          backendRefs: [{name: echo, port: 8080, weight: 3}, {name: echo2, port: 8080}]
        - backendRefs: [{name: echo, port: 8080}]
        """);
    GatewayPlan plan = plan();

    Route exact = GatewayTranslatorTest.modelRoute(plan, "grpcroute-infra-echo-0-0");
    assertThat(exact.listeners()).containsExactly("port-80");
    assertThat(exact.hosts()).containsExactly("grpc.example.com");
    assertThat(exact.paths()).containsExactly(
        PathMatch.exact("/gateway_api_conformance.echo_basic.grpcecho.GrpcEcho/Echo"));
    assertThat(exact.headers()).extracting(h -> h.name() + "=" + h.value()).containsExactly("X-Tier=gold");
    assertThat(exact.requestHeaders().set()).containsEntry("X-Via", "gantry");
    assertThat(exact.backends()).containsExactly(new RouteBackend("h2c-svc-echo-8080", 3),
        new RouteBackend("h2c-svc-echo2-8080", 1));
    assertThat(GatewayTranslatorTest.modelRoute(plan, "grpcroute-infra-echo-0-1").paths())
        .containsExactly(PathMatch.prefix("/pkg.Svc"));
    PathMatch methodOnly = GatewayTranslatorTest.modelRoute(plan, "grpcroute-infra-echo-0-2").paths().get(0);
    assertThat(methodOnly.type()).isEqualTo(PathType.Regex);
    assertThat("/any.Service/Ping").matches(methodOnly.value());
    assertThat("/any.Service/PingPong").doesNotMatch(methodOnly.value());
    PathMatch regex = GatewayTranslatorTest.modelRoute(plan, "grpcroute-infra-echo-0-3").paths().get(0);
    assertThat("/pkg.Svc/GetUser").matches(regex.value());
    assertThat("/other.Svc/GetUser").doesNotMatch(regex.value());
    // a rule without matches takes every call
    assertThat(GatewayTranslatorTest.modelRoute(plan, "grpcroute-infra-echo-1-0").paths())
        .containsExactly(PathMatch.prefix("/"));
    assertThat(plan.spec().backendsOrEmpty()).filteredOn(b -> b.name().startsWith("h2c-"))
        .extracting(Backend::protocol).containsOnly(BackendProtocol.H2C);
    ParentVerdict v = GatewayTranslatorTest.only(plan, r);
    assertThat(v.acceptedReason()).isEqualTo("Accepted");
    assertThat(v.refsReason()).isEqualTo("ResolvedRefs");
    assertThat(v.partiallyInvalid()).isNull();
    assertThat(plan.listeners().get(0).supportedKinds()).extracting(k -> k.kind())
        .containsExactly("HTTPRoute", "GRPCRoute");
    assertThat(plan.attachedRoutes()).containsEntry("web", 1).containsEntry("pass", 0);
    assertThat(TlsRouteHostnamesTest.validate(plan)).isEmpty();
  }

  @Test
  void rulesTheModelCannotServeAreLeftOutAndRoutesThatCannotAttachAreToldWhy() {
    GrpcRouteResource partly = route("partly", """
        parentRefs: [{name: gw, sectionName: web}]
        rules:
        - matches: [{headers: [{type: RegularExpression, name: X-Tier, value: "g.*"}]}]
          backendRefs: [{name: echo, port: 8080}]
        - filters: [{type: RequestMirror}]
          backendRefs: [{name: echo, port: 8080}]
        - backendRefs: [{name: nowhere, port: 8080}]
        """);
    GrpcRouteResource onTls = route("on-tls", """
        parentRefs: [{name: gw, sectionName: pass}]
        rules: [{backendRefs: [{name: echo, port: 8080}]}]
        """);
    GrpcRouteResource elsewhere = route("elsewhere", """
        parentRefs: [{name: gw}]
        hostnames: [grpc.other.test]
        rules: [{backendRefs: [{name: echo, port: 8080}]}]
        """);
    GatewayPlan plan = plan();

    ParentVerdict v = GatewayTranslatorTest.only(plan, partly);
    assertThat(v.acceptedReason()).isEqualTo("Accepted");
    assertThat(v.partiallyInvalid()).contains("rules[0]: header match type RegularExpression")
        .contains("rules[1]: filter RequestMirror");
    assertThat(v.refsReason()).isEqualTo("BackendNotFound");
    assertThat(plan.spec().routesOrEmpty()).extracting(Route::name)
        .noneMatch(n -> n.startsWith("grpcroute-infra-partly-0") || n.startsWith("grpcroute-infra-partly-1"));
    // the rule whose Service is missing stays, its calls answered by the proxy itself
    assertThat(GatewayTranslatorTest.modelRoute(plan, "grpcroute-infra-partly-2").backends())
        .containsExactly(new RouteBackend(BackendRefs.INVALID.name(), 1));
    assertThat(GatewayTranslatorTest.only(plan, onTls).acceptedReason()).isEqualTo("NotAllowedByListeners");
    assertThat(GatewayTranslatorTest.only(plan, elsewhere).acceptedReason()).isEqualTo("NoMatchingListenerHostname");
    assertThat(TlsRouteHostnamesTest.validate(plan)).isEmpty();
  }

  @Test
  void aBackendRefsRequestHeaderModifierIsServedAndOtherBackendRefFiltersLeaveTheRuleOut() {
    GrpcRouteResource r = route("per-backend", """
        parentRefs: [{name: gw, sectionName: web}]
        rules:
        - backendRefs:
          - name: echo
            port: 8080
            filters: [{type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: X-Pool, value: blue}]}}]
          - {name: echo2, port: 8080}
        - backendRefs:
          - name: echo
            port: 8080
            filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {add: [{name: X-Pool, value: red}]}}]
        """);
    GatewayPlan plan = plan();

    Route served = GatewayTranslatorTest.modelRoute(plan, "grpcroute-infra-per-backend-0-0");
    RouteBackend blue = served.backends().get(0);
    assertThat(blue.name()).isEqualTo("h2c-svc-echo-8080");
    assertThat(blue.requestHeaders().add()).containsEntry("X-Pool", "blue");
    assertThat(served.backends().get(1).requestHeaders()).isNull();
    assertThat(GatewayTranslatorTest.only(plan, r).partiallyInvalid())
        .contains("rules[1]: filter ResponseHeaderModifier on a backendRef is not supported");
    assertThat(plan.spec().routesOrEmpty()).extracting(Route::name)
        .noneMatch(n -> n.startsWith("grpcroute-infra-per-backend-1"));
  }
}
