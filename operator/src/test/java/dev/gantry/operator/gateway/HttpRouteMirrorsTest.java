package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.HeaderModifier;
import dev.gantry.model.Route;
import dev.gantry.model.RouteBackend;
import dev.gantry.model.RouteMirror;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.gateway.api.ReferenceGrantResource;
import dev.gantry.operator.translate.ClusterRefs;
import dev.gantry.operator.translate.ModelResolverTest;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HTTPRoute's RequestMirror through the Gateway's translation: the model route's mirrors with their share,
 * backendRefs resolved like a rule's own (ReferenceGrants included), and what does not resolve left out and
 * told in ResolvedRefs.
 */
class HttpRouteMirrorsTest {

  private final List<HttpRouteResource> routes = new ArrayList<>();
  private final List<ReferenceGrantResource> grants = new ArrayList<>();
  private final Map<String, ClusterRefs> refs = Map.of(
      "infra", new ClusterRefs(Map.of("web", GatewayTranslatorTest.service("web", 8080),
          "shadow", GatewayTranslatorTest.service("shadow", 8080)), Map.of(), Map.of()),
      "apps", new ClusterRefs(Map.of("api", GatewayTranslatorTest.service("api", 9000)),
          Map.of("api", List.of(ModelResolverTest.slice("api", "p", 9000, "10.0.0.7"))), Map.of()));

  HttpRouteResource route(String name, String rules) {
    HttpRouteResource r = Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: infra, generation: 1, uid: %s}
        spec:
          parentRefs: [{name: gw, sectionName: http}]
          rules:
        """.formatted(name, name) + rules.indent(2), HttpRouteResource.class);
    routes.add(r);
    return r;
  }

  GatewayPlan plan() {
    return GatewayTranslator.translate(new GatewayInputs(GatewayTranslatorTest.gateway(GatewayTranslatorTest.GATEWAY),
        routes, Map.of(), grants, ns -> refs.getOrDefault(ns, ClusterRefs.NONE)));
  }

  @Test
  void aMirrorFilterBecomesTheModelRoutesMirrorBesideItsOtherFilters() {
    HttpRouteResource r = route("mirror", """
        - matches: [{path: {type: PathPrefix, value: /mirror}}]
          filters:
          - type: RequestHeaderModifier
            requestHeaderModifier: {set: [{name: X-Header-Set, value: set-overwrites-values}]}
          - type: RequestMirror
            requestMirror: {backendRef: {name: shadow, namespace: infra, port: 8080}}
          backendRefs: [{name: web, port: 8080}]
        """);
    GatewayPlan plan = plan();

    Route route = GatewayTranslatorTest.modelRoute(plan, "httproute-infra-mirror-0-0");
    assertThat(route.mirrors()).containsExactly(new RouteMirror("svc-shadow-8080", null));
    assertThat(route.backends()).containsExactly(new RouteBackend("svc-web-8080", 1));
    assertThat(route.requestHeaders()).isEqualTo(new HeaderModifier(Map.of("X-Header-Set", "set-overwrites-values"),
        null));
    assertThat(plan.spec().backendsOrEmpty()).extracting(b -> b.name())
        .containsExactlyInAnyOrder("svc-web-8080", "svc-shadow-8080");
    ParentVerdict v = GatewayTranslatorTest.only(plan, r);
    assertThat(v.acceptedReason()).isEqualTo("Accepted");
    assertThat(v.refsReason()).isEqualTo("ResolvedRefs");
    assertThat(v.partiallyInvalid()).isNull();
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void everyMirrorKeepsItsShareGivenAsPercentOrFraction() {
    route("shares", """
        - filters:
          - {type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 8080}, percent: 20}}
          - {type: RequestMirror, requestMirror: {backendRef: {name: web, port: 8080},
              fraction: {numerator: 25, denominator: 50}}}
          - {type: RequestMirror, requestMirror: {backendRef: {name: web, port: 8080}, fraction: {numerator: 1,
              denominator: 3}}}
          - {type: RequestMirror, requestMirror: {backendRef: {name: web, port: 8080}, fraction: {numerator: 5}}}
          - {type: RequestMirror, requestMirror: {backendRef: {name: web, port: 8080}, percent: 0}}
          backendRefs: [{name: web, port: 8080}]
        """);
    GatewayPlan plan = plan();

    assertThat(GatewayTranslatorTest.modelRoute(plan, "httproute-infra-shares-0-0").mirrors())
        .extracting(RouteMirror::backend, RouteMirror::percent)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("svc-shadow-8080", 20.0),
            org.assertj.core.groups.Tuple.tuple("svc-web-8080", 50.0),
            org.assertj.core.groups.Tuple.tuple("svc-web-8080", 100.0 / 3),
            org.assertj.core.groups.Tuple.tuple("svc-web-8080", 5.0),
            org.assertj.core.groups.Tuple.tuple("svc-web-8080", 0.0));
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void aMirrorInAnotherNamespaceNeedsAReferenceGrantAndIsThenResolvedToItsEndpoints() {
    HttpRouteResource refused = route("refused", """
        - filters: [{type: RequestMirror, requestMirror: {backendRef: {name: api, namespace: apps, port: 9000}}}]
          backendRefs: [{name: web, port: 8080}]
        """);
    GatewayPlan without = plan();

    ParentVerdict v = GatewayTranslatorTest.only(without, refused);
    assertThat(v.acceptedReason()).isEqualTo("Accepted");
    assertThat(v.refsReason()).isEqualTo("RefNotPermitted");
    // not mirrored to at all, while the rule itself is served
    Route served = GatewayTranslatorTest.modelRoute(without, "httproute-infra-refused-0-0");
    assertThat(served.mirrors()).isNull();
    assertThat(served.backends()).containsExactly(new RouteBackend("svc-web-8080", 1));
    assertThat(GatewayTranslatorTest.validate(without)).isEmpty();

    grants.add(Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: g, namespace: apps}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra}]
          to: [{group: "", kind: Service}]
        """, ReferenceGrantResource.class));
    GatewayPlan with = plan();

    assertThat(GatewayTranslatorTest.only(with, refused).refsReason()).isEqualTo("ResolvedRefs");
    assertThat(GatewayTranslatorTest.modelRoute(with, "httproute-infra-refused-0-0").mirrors())
        .containsExactly(new RouteMirror("svc-apps-api-9000", null));
    assertThat(with.spec().backendsOrEmpty()).anySatisfy(b -> {
      assertThat(b.name()).isEqualTo("svc-apps-api-9000");
      assertThat(b.endpointsOrEmpty()).extracting(e -> e.address() + ":" + e.port()).containsExactly("10.0.0.7:9000");
    });
    assertThat(GatewayTranslatorTest.validate(with)).isEmpty();
  }

  @Test
  void aMirrorThatIsNotFoundIsLeftOutAndToldInResolvedRefs() {
    HttpRouteResource r = route("missing", """
        - filters:
          - {type: RequestMirror, requestMirror: {backendRef: {name: nowhere, port: 8080}}}
          - {type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 8080}}}
          backendRefs: [{name: web, port: 8080}]
        """);
    GatewayPlan plan = plan();

    ParentVerdict v = GatewayTranslatorTest.only(plan, r);
    assertThat(v.acceptedReason()).isEqualTo("Accepted");
    assertThat(v.refsReason()).isEqualTo("BackendNotFound");
    assertThat(GatewayTranslatorTest.modelRoute(plan, "httproute-infra-missing-0-0").mirrors())
        .containsExactly(new RouteMirror("svc-shadow-8080", null));
    assertThat(plan.spec().backendsOrEmpty()).extracting(b -> b.name())
        .doesNotContain(BackendRefs.INVALID.name(), BackendRefs.UNRESOLVED.name());
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void mirrorsTheModelCannotServeLeaveTheirRuleOutAndSayWhy() {
    HttpRouteResource r = route("odd", """
        - filters: [{type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 8080}, percent: 5,
            fraction: {numerator: 1}}}]
          backendRefs: [{name: web, port: 8080}]
        - filters:
          - {type: RequestRedirect, requestRedirect: {statusCode: 301}}
          - {type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 8080}}}
        - filters: [{type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 8080},
            fraction: {numerator: 3, denominator: 2}}}]
          backendRefs: [{name: web, port: 8080}]
        - filters: [{type: RequestMirror}]
          backendRefs: [{name: web, port: 8080}]
        - matches: [{path: {type: PathPrefix, value: /served}}]
          filters: [{type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 8080}, percent: 100}}]
          backendRefs: [{name: web, port: 8080}]
        """);
    GatewayPlan plan = plan();

    ParentVerdict v = GatewayTranslatorTest.only(plan, r);
    assertThat(v.acceptedReason()).isEqualTo("Accepted");
    assertThat(v.partiallyInvalid()).isEqualTo(String.join("; ",
        "rules[0]: RequestMirror sets both percent and fraction",
        "rules[1]: RequestMirror on a RequestRedirect rule is not supported: a redirect forwards nothing to copy",
        "rules[2]: RequestMirror fraction 3/2 is not a share of requests",
        "rules[3]: RequestMirror has no backendRef"));
    assertThat(plan.spec().routesOrEmpty()).extracting(Route::name).containsExactly("httproute-infra-odd-4-0-port-80");
    assertThat(GatewayTranslatorTest.modelRoute(plan, "httproute-infra-odd-4-0").mirrors())
        .containsExactly(new RouteMirror("svc-shadow-8080", 100.0));
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }
}
