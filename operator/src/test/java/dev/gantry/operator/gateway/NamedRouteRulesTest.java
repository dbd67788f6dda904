package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.PathMatch;
import dev.gantry.model.Route;
import dev.gantry.model.RouteBackend;
import dev.gantry.operator.gateway.api.GrpcRouteResource;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import org.junit.jupiter.api.Test;

/** Rules with a {@code name}, beside rules without, on HTTPRoutes and GRPCRoutes; a name used twice. */
class NamedRouteRulesTest {

  @Test
  void namedAndUnnamedHttpRouteRulesAreBothServed() {
    GatewayTranslatorTest t = new GatewayTranslatorTest();
    HttpRouteResource r = t.route("infra", "named", """
        parentRefs: [{name: gw}]
        rules:
        - name: named-rule
          matches: [{path: {type: PathPrefix, value: /named}}]
          backendRefs: [{name: web, port: 8080}]
        - matches: [{path: {type: PathPrefix, value: /unnamed}}]
          backendRefs: [{name: web, port: 8080}]
        """);
    GatewayPlan plan = t.plan(GatewayTranslatorTest.GATEWAY);

    ParentVerdict v = GatewayTranslatorTest.only(plan, r);
    assertThat(v.acceptedReason()).isEqualTo("Accepted");
    assertThat(v.refsReason()).isEqualTo("ResolvedRefs");
    assertThat(v.partiallyInvalid()).isNull();
    assertThat(GatewayTranslatorTest.modelRoute(plan, "httproute-infra-named-0").paths())
        .containsExactly(PathMatch.prefix("/named"));
    assertThat(GatewayTranslatorTest.modelRoute(plan, "httproute-infra-named-1").paths())
        .containsExactly(PathMatch.prefix("/unnamed"));
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void anHttpRouteRuleRepeatingAnEarlierRulesNameIsLeftOut() {
    GatewayTranslatorTest t = new GatewayTranslatorTest();
    HttpRouteResource r = t.route("infra", "twice", """
        parentRefs: [{name: gw}]
        rules:
        - name: same
          matches: [{path: {type: PathPrefix, value: /a}}]
          backendRefs: [{name: web, port: 8080}]
        - name: other
          matches: [{path: {type: PathPrefix, value: /b}}]
          backendRefs: [{name: web, port: 8080}]
        - name: same
          matches: [{path: {type: PathPrefix, value: /c}}]
          backendRefs: [{name: web, port: 8080}]
        """);
    GatewayPlan plan = t.plan(GatewayTranslatorTest.GATEWAY);

    ParentVerdict v = GatewayTranslatorTest.only(plan, r);
    assertThat(v.acceptedReason()).isEqualTo("Accepted");
    assertThat(v.partiallyInvalid()).contains("rules[2]: name same is already the name of rules[0]")
        .doesNotContain("rules[1]");
    assertThat(plan.spec().routesOrEmpty()).extracting(Route::name)
        .anyMatch(n -> n.startsWith("httproute-infra-twice-0")).anyMatch(n -> n.startsWith("httproute-infra-twice-1"))
        .noneMatch(n -> n.startsWith("httproute-infra-twice-2"));
  }

  @Test
  void namedAndUnnamedGrpcRouteRulesAreBothServedAndARepeatedNameIsLeftOut() {
    GrpcRouteTranslatorTest t = new GrpcRouteTranslatorTest();
    GrpcRouteResource r = t.route("named", """
        parentRefs: [{name: gw}]
        rules:
        - name: named-rule
          matches: [{method: {service: pkg.Echo, method: Echo}}]
          backendRefs: [{name: echo, port: 8080}]
        - matches: [{method: {service: pkg.Echo, method: EchoTwo}}]
          backendRefs: [{name: echo2, port: 8080}]
        - name: named-rule
          matches: [{method: {service: pkg.Echo, method: EchoThree}}]
          backendRefs: [{name: echo2, port: 8080}]
        """);
    GatewayPlan plan = t.plan();

    ParentVerdict v = GatewayTranslatorTest.only(plan, r);
    assertThat(v.acceptedReason()).isEqualTo("Accepted");
    assertThat(v.refsReason()).isEqualTo("ResolvedRefs");
    assertThat(v.partiallyInvalid()).isEqualTo("rules[2]: name named-rule is already the name of rules[0]");
    Route named = GatewayTranslatorTest.modelRoute(plan, "grpcroute-infra-named-0");
    assertThat(named.paths()).containsExactly(PathMatch.exact("/pkg.Echo/Echo"));
    assertThat(named.backends()).containsExactly(new RouteBackend("h2c-svc-echo-8080", 1));
    Route unnamed = GatewayTranslatorTest.modelRoute(plan, "grpcroute-infra-named-1");
    assertThat(unnamed.paths()).containsExactly(PathMatch.exact("/pkg.Echo/EchoTwo"));
    assertThat(unnamed.backends()).containsExactly(new RouteBackend("h2c-svc-echo2-8080", 1));
    assertThat(plan.spec().routesOrEmpty()).extracting(Route::name)
        .noneMatch(n -> n.startsWith("grpcroute-infra-named-2"));
  }
}
