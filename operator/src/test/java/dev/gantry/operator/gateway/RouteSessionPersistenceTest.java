package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Route;
import dev.gantry.model.SessionLifetime;
import dev.gantry.model.SessionPersistence;
import dev.gantry.model.SessionType;
import dev.gantry.operator.gateway.api.GrpcRouteResource;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.translate.ClusterRefs;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HTTPRoute and GRPCRoute rule {@code sessionPersistence} (Experimental channel) through the Gateway's
 * translation: the model route's {@code sessionPersistence}, or the rule left out with the reason.
 */
class RouteSessionPersistenceTest {

  private final List<HttpRouteResource> httpRoutes = new ArrayList<>();
  private final List<GrpcRouteResource> grpcRoutes = new ArrayList<>();
  private final Map<String, ClusterRefs> refs = Map.of("infra",
      new ClusterRefs(Map.of("web", GatewayTranslatorTest.service("web", 8080)), Map.of(), Map.of()));

  HttpRouteResource httpRoute(String rules) {
    HttpRouteResource r = Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: shop, namespace: infra, generation: 1, uid: shop}
        spec:
          parentRefs: [{name: gw, sectionName: http}]
          rules:
        """ + rules.indent(2), HttpRouteResource.class);
    httpRoutes.add(r);
    return r;
  }

  GatewayPlan plan() {
    return GatewayTranslator.translate(new GatewayInputs(GatewayTranslatorTest.gateway(GatewayTranslatorTest.GATEWAY),
        httpRoutes, List.of(), List.of(), grpcRoutes, Map.of(), List.of(),
        ns -> refs.getOrDefault(ns, ClusterRefs.NONE)));
  }

  SessionPersistence ofRule(GatewayPlan plan, String kind, int rule) {
    return GatewayTranslatorTest.modelRoute(plan, kind + "-infra-shop-" + rule + "-0").sessionPersistence();
  }

  @Test
  void cookieAndHeaderSessionsBecomeTheModelRoutesSessionPersistence() {
    HttpRouteResource r = httpRoute("""
        - matches: [{path: {value: /cart}}]
          backendRefs: [{name: web, port: 8080}]
          sessionPersistence:
            sessionName: SERVERID
            absoluteTimeout: 1h
            cookieConfig: {lifetimeType: Permanent}
        - matches: [{path: {value: /api}}]
          backendRefs: [{name: web, port: 8080}]
          sessionPersistence: {type: Header, sessionName: X-Session, absoluteTimeout: 30m, idleTimeout: 5m}
        - matches: [{path: {value: /defaults}}]
          backendRefs: [{name: web, port: 8080}]
          sessionPersistence: {}
        - matches: [{path: {value: /none}}]
          backendRefs: [{name: web, port: 8080}]
        """);
    GatewayPlan plan = plan();

    assertThat(ofRule(plan, "httproute", 0)).isEqualTo(
        new SessionPersistence(null, "SERVERID", "1h", null, SessionLifetime.Permanent));
    assertThat(ofRule(plan, "httproute", 1)).isEqualTo(
        new SessionPersistence(SessionType.Header, "X-Session", "30m", "5m", null));
    assertThat(ofRule(plan, "httproute", 2)).isEqualTo(new SessionPersistence(null, null, null, null, null));
    assertThat(ofRule(plan, "httproute", 3)).isNull();
    assertThat(GatewayTranslatorTest.only(plan, r).partiallyInvalid()).isNull();
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void whatTheProxyCannotServeLeavesItsRuleOutWithTheReason() {
    HttpRouteResource r = httpRoute("""
        - matches: [{path: {value: /served}}]
          backendRefs: [{name: web, port: 8080}]
          sessionPersistence: {sessionName: ok}
        - backendRefs: [{name: web, port: 8080}]
          sessionPersistence: {type: Url}
        - backendRefs: [{name: web, port: 8080}]
          sessionPersistence: {sessionName: "my session"}
        - backendRefs: [{name: web, port: 8080}]
          sessionPersistence: {absoluteTimeout: 1d}
        - backendRefs: [{name: web, port: 8080}]
          sessionPersistence: {idleTimeout: 0s}
        - backendRefs: [{name: web, port: 8080}]
          sessionPersistence: {cookieConfig: {lifetimeType: Permanent}}
        - backendRefs: [{name: web, port: 8080}]
          sessionPersistence: {type: Header, cookieConfig: {lifetimeType: Session}}
        - backendRefs: [{name: web, port: 8080}]
          sessionPersistence: {cookieConfig: {lifetimeType: Forever}, absoluteTimeout: 1h}
        - backendRefs: [{name: web, port: 8080}]
          sessionPersistence: {hashOn: ip}
        - backendRefs: [{name: web, port: 8080}]
          retry: {attempts: 2}
        """);
    GatewayPlan plan = plan();

    assertThat(plan.spec().routesOrEmpty()).extracting(Route::name).containsExactly("httproute-infra-shop-0-0-port-80");
    assertThat(GatewayTranslatorTest.only(plan, r).partiallyInvalid()).isEqualTo(String.join("; ",
        "rules[1]: sessionPersistence.type Url is not supported: expected Cookie or Header",
        "rules[2]: sessionPersistence.sessionName \"my session\" is not a cookie or header name",
        "rules[3]: sessionPersistence.absoluteTimeout \"1d\" is not a duration above 0 such as 30m or 1h",
        "rules[4]: sessionPersistence.idleTimeout \"0s\" is not a duration above 0 such as 30m or 1h",
        "rules[5]: sessionPersistence.absoluteTimeout must be set when cookieConfig.lifetimeType is Permanent",
        "rules[6]: sessionPersistence.cookieConfig can only be set with type Cookie",
        "rules[7]: sessionPersistence.cookieConfig.lifetimeType Forever is not supported: expected Permanent or "
            + "Session",
        "rules[8]: sessionPersistence.hashOn is not supported",
        "rules[9]: retry is not supported yet"));
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void aGrpcRouteRuleKeepsItsCallsOnOneEndpoint() {
    GrpcRouteResource r = Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: shop, namespace: infra, uid: shop, generation: 1}
        spec:
          parentRefs: [{name: gw, sectionName: http}]
          rules:
          - matches: [{method: {service: pkg.Cart}}]
            backendRefs: [{name: web, port: 8080}]
            sessionPersistence: {type: Header, sessionName: x-cart-session}
          - matches: [{method: {service: pkg.Other}}]
            backendRefs: [{name: web, port: 8080}]
            sessionPersistence: {type: Header, cookieConfig: {lifetimeType: Session}}
        """, GrpcRouteResource.class);
    grpcRoutes.add(r);
    GatewayPlan plan = plan();

    assertThat(ofRule(plan, "grpcroute", 0)).isEqualTo(
        new SessionPersistence(SessionType.Header, "x-cart-session", null, null, null));
    assertThat(GatewayTranslatorTest.only(plan, r).partiallyInvalid())
        .isEqualTo("rules[1]: sessionPersistence.cookieConfig can only be set with type Cookie");
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }
}
