package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.HeaderModifier;
import dev.gantry.model.Route;
import dev.gantry.model.RouteBackend;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RequestHeaderModifier on an HTTPRoute's backendRefs: request header changes of each model route backend. */
class BackendFiltersTest {

  private final GatewayTranslatorTest t = new GatewayTranslatorTest();

  @Test
  void eachBackendRefsRequestHeaderModifierBecomesItsBackendsRequestHeaders() {
    HttpRouteResource r = t.route("infra", "weights", """
        parentRefs: [{name: gw, sectionName: http}]
        rules:
        - filters:
          - type: RequestHeaderModifier
            requestHeaderModifier: {set: [{name: X-Rule, value: "1"}]}
          backendRefs:
          - name: web
            port: 8080
            weight: 10
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set: [{name: Backend, value: infra-backend-v1}]
                add: [{name: X-Tag, value: a}]
                remove: [X-Debug]
          - name: other
            port: 8080
            weight: 10
            filters:
            - type: RequestHeaderModifier
              requestHeaderModifier: {set: [{name: Backend, value: infra-backend-v2}]}
          - {name: web, port: 8081}
        """);
    GatewayPlan plan = t.plan(GatewayTranslatorTest.GATEWAY);

    ParentVerdict v = GatewayTranslatorTest.only(plan, r);
    assertThat(v.acceptedReason()).isEqualTo("Accepted");
    assertThat(v.partiallyInvalid()).isNull();
    Route route = GatewayTranslatorTest.modelRoute(plan, "httproute-infra-weights-0");
    assertThat(route.requestHeaders().set()).containsExactly(Map.entry("X-Rule", "1"));
    assertThat(route.backends()).containsExactly(
        new RouteBackend("svc-web-8080", 10, new HeaderModifier(Map.of("Backend", "infra-backend-v1"),
            Map.of("X-Tag", "a"), List.of("X-Debug"))),
        // a Service that is not there: the proxy answers its share itself, header changes mean nothing to it
        new RouteBackend(BackendRefs.INVALID.name(), 11));
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void twoBackendRefsToOneServiceWithTheSameChangesAddUpAndWithDifferentOnesAreLeftOut() {
    HttpRouteResource r = t.route("infra", "twice", """
        parentRefs: [{name: gw, sectionName: http}]
        rules:
        - matches: [{path: {type: PathPrefix, value: /same}}]
          backendRefs:
          - {name: web, port: 8080, filters: [{type: RequestHeaderModifier, requestHeaderModifier: {remove: [A]}}]}
          - {name: web, port: 8080, filters: [{type: RequestHeaderModifier, requestHeaderModifier: {remove: [A]}}]}
        - matches: [{path: {type: PathPrefix, value: /different}}]
          backendRefs:
          - {name: web, port: 8080, filters: [{type: RequestHeaderModifier, requestHeaderModifier: {remove: [A]}}]}
          - {name: web, port: 8080}
        - matches: [{path: {type: PathPrefix, value: /mirror}}]
          backendRefs:
          - name: web
            port: 8080
            filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {remove: [A]}}]
        """);
    GatewayPlan plan = t.plan(GatewayTranslatorTest.GATEWAY);

    ParentVerdict v = GatewayTranslatorTest.only(plan, r);
    assertThat(v.acceptedReason()).isEqualTo("Accepted");
    assertThat(v.partiallyInvalid())
        .isEqualTo("rules[1]: backendRefs to web change request headers differently; "
            + "rules[2]: filter ResponseHeaderModifier on a backendRef is not supported");
    assertThat(GatewayTranslatorTest.modelRoute(plan, "httproute-infra-twice-0").backends())
        .containsExactly(new RouteBackend("svc-web-8080", 2, new HeaderModifier(null, null, List.of("A"))));
    assertThat(plan.spec().routesOrEmpty()).extracting(Route::name)
        .noneMatch(n -> n.startsWith("httproute-infra-twice-1") || n.startsWith("httproute-infra-twice-2"));
  }
}
