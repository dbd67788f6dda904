package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Cors;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An HTTPRoute rule's CORS filter as its model routes' {@code cors}. */
class CorsTranslationTest {

  private final GatewayTranslatorTest t = new GatewayTranslatorTest();

  @Test
  void aRulesCorsFilterBecomesItsRoutesCorsWithGatewayApisDefaultMaxAge() {
    HttpRouteResource r = t.route("infra", "cors", """
        parentRefs: [{name: gw, sectionName: http}]
        rules:
        - matches: [{path: {type: PathPrefix, value: /cors-1}}]
          filters:
          - type: CORS
            cors:
              allowOrigins: ["https://www.foo.com", "https://*.bar.com"]
              allowMethods: [GET, OPTIONS]
              allowHeaders: [x-header-1, x-header-2]
              exposeHeaders: [x-header-3, x-header-4]
              allowCredentials: true
              maxAge: 3600
          backendRefs: [{name: web, port: 8080}]
        - matches: [{path: {type: PathPrefix, value: /cors-2}}]
          filters: [{type: CORS, cors: {allowOrigins: ["*"], allowMethods: ["*"]}}]
          backendRefs: [{name: web, port: 8080}]
        - matches: [{path: {type: PathPrefix, value: /long}}]
          filters: [{type: CORS, cors: {allowOrigins: ["*"], maxAge: 999999}}]
          backendRefs: [{name: web, port: 8080}]
        - matches: [{path: {type: PathPrefix, value: /none}}]
          backendRefs: [{name: web, port: 8080}]
        """);
    GatewayPlan plan = t.plan(GatewayTranslatorTest.GATEWAY);

    ParentVerdict v = GatewayTranslatorTest.only(plan, r);
    assertThat(v.acceptedReason()).isEqualTo("Accepted");
    assertThat(v.partiallyInvalid()).isNull();
    assertThat(GatewayTranslatorTest.modelRoute(plan, "httproute-infra-cors-0").cors()).isEqualTo(new Cors(
        List.of("https://www.foo.com", "https://*.bar.com"), List.of("GET", "OPTIONS"),
        List.of("x-header-1", "x-header-2"), List.of("x-header-3", "x-header-4"), true, 3600));
    assertThat(GatewayTranslatorTest.modelRoute(plan, "httproute-infra-cors-1").cors())
        .isEqualTo(new Cors(List.of("*"), List.of("*"), null, null, null, 5));
    assertThat(GatewayTranslatorTest.modelRoute(plan, "httproute-infra-cors-2").cors().maxAge()).isEqualTo(86_400);
    assertThat(GatewayTranslatorTest.modelRoute(plan, "httproute-infra-cors-3").cors()).isNull();
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }
}
