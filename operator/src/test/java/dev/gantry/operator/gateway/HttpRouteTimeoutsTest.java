package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Route;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.translate.ClusterRefs;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HTTPRoute rule {@code timeouts} through the Gateway's translation: the model route's {@code timeout}. */
class HttpRouteTimeoutsTest {

  private final List<HttpRouteResource> routes = new ArrayList<>();
  private final Map<String, ClusterRefs> refs = Map.of("infra",
      new ClusterRefs(Map.of("web", GatewayTranslatorTest.service("web", 8080)), Map.of(), Map.of()));

  HttpRouteResource route(String rules) {
    HttpRouteResource r = Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: slow, namespace: infra, generation: 1, uid: slow}
        spec:
          parentRefs: [{name: gw, sectionName: http}]
          rules:
        """ + rules.indent(2), HttpRouteResource.class);
    routes.add(r);
    return r;
  }

  GatewayPlan plan() {
    return GatewayTranslator.translate(new GatewayInputs(GatewayTranslatorTest.gateway(GatewayTranslatorTest.GATEWAY),
        routes, Map.of(), List.of(), ns -> refs.getOrDefault(ns, ClusterRefs.NONE)));
  }

  String timeoutOfRule(GatewayPlan plan, int rule) {
    return GatewayTranslatorTest.modelRoute(plan, "httproute-infra-slow-" + rule + "-0").timeout();
  }

  @Test
  void requestAndBackendRequestBecomeTheRoutesTimeoutTheShorterOneCounting() {
    HttpRouteResource r = route("""
        - matches: [{path: {value: /request}}]
          backendRefs: [{name: web, port: 8080}]
          timeouts: {request: 500ms}
        - matches: [{path: {value: /backend}}]
          backendRefs: [{name: web, port: 8080}]
          timeouts: {backendRequest: 1m30s}
        - matches: [{path: {value: /both}}]
          backendRefs: [{name: web, port: 8080}]
          timeouts: {request: 10s, backendRequest: 2s}
        - matches: [{path: {value: /none}}]
          backendRefs: [{name: web, port: 8080}]
        """);
    GatewayPlan plan = plan();

    assertThat(timeoutOfRule(plan, 0)).isEqualTo("500ms");
    assertThat(timeoutOfRule(plan, 1)).isEqualTo("1m30s");
    assertThat(timeoutOfRule(plan, 2)).isEqualTo("2s");
    // no timeouts: the listener's inactivity timeouts apply
    assertThat(timeoutOfRule(plan, 3)).isNull();
    assertThat(GatewayTranslatorTest.only(plan, r).partiallyInvalid()).isNull();
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void zeroMeansNoLimitUnlessTheOtherOneSetsOne() {
    route("""
        - matches: [{path: {value: /off}}]
          backendRefs: [{name: web, port: 8080}]
          timeouts: {request: 0s}
        - matches: [{path: {value: /backend-off}}]
          backendRefs: [{name: web, port: 8080}]
          timeouts: {request: 0s, backendRequest: 0s}
        - matches: [{path: {value: /request-off}}]
          backendRefs: [{name: web, port: 8080}]
          timeouts: {request: 0s, backendRequest: 3s}
        """);
    GatewayPlan plan = plan();

    assertThat(timeoutOfRule(plan, 0)).isEqualTo("0s");
    assertThat(timeoutOfRule(plan, 1)).isEqualTo("0s");
    assertThat(timeoutOfRule(plan, 2)).isEqualTo("3s");
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void aRedirectGetsNoTimeoutAndABadDurationLeavesItsRuleOut() {
    HttpRouteResource r = route("""
        - matches: [{path: {value: /moved}}]
          filters: [{type: RequestRedirect, requestRedirect: {statusCode: 301}}]
          timeouts: {request: 1s}
        - matches: [{path: {value: /bad}}]
          backendRefs: [{name: web, port: 8080}]
          timeouts: {request: 10 seconds}
        """);
    GatewayPlan plan = plan();

    assertThat(timeoutOfRule(plan, 0)).isNull();
    assertThat(plan.spec().routesOrEmpty()).extracting(Route::name).containsExactly("httproute-infra-slow-0-0-port-80");
    assertThat(GatewayTranslatorTest.only(plan, r).partiallyInvalid())
        .isEqualTo("rules[1]: timeouts.request \"10 seconds\" is not a duration such as 500ms, 10s or 1h");
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }
}
