package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Route;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A parentRef's {@code port} attaches a route to the Gateway's listeners on that port only, with or without a
 * {@code sectionName}; a port no listener it names has attaches it nowhere. The Gateway is the conformance suite's:
 * five HTTP listeners on three ports, two hostnames.
 */
class ParentRefPortTest {

  static final String GATEWAY = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: infra, generation: 1}
      spec:
        gatewayClassName: gantry
        listeners:
        - {name: listener-1, port: 80, protocol: HTTP, hostname: foo.com}
        - {name: listener-2, port: 8080, protocol: HTTP, hostname: foo.com}
        - {name: listener-3, port: 8080, protocol: HTTP, hostname: bar.com}
        - {name: listener-4, port: 8090, protocol: HTTP, hostname: foo.com}
        - {name: listener-5, port: 8090, protocol: HTTP, hostname: bar.com}
      """;

  private final GatewayTranslatorTest t = new GatewayTranslatorTest();

  @Test
  void aPortAttachesToEveryListenerOnItAndAPortWithASectionNameToThatListenerOnly() {
    HttpRouteResource v1 = t.route("infra", "v1", "parentRefs: [{name: gw, port: 80}]\n"
        + "rules: [{backendRefs: [{name: web, port: 8080}]}]");
    HttpRouteResource v2 = t.route("infra", "v2", "parentRefs: [{name: gw, port: 8080}]\n"
        + "rules: [{backendRefs: [{name: web, port: 8080}]}]");
    HttpRouteResource v3 = t.route("infra", "v3", "parentRefs: [{name: gw, port: 8090, sectionName: listener-4}]\n"
        + "rules: [{backendRefs: [{name: web, port: 8080}]}]");
    GatewayPlan plan = t.plan(GATEWAY);

    assertThat(List.of(v1, v2, v3)).allSatisfy(r -> assertThat(GatewayTranslatorTest.only(plan, r).acceptedReason())
        .isEqualTo("Accepted"));
    assertThat(plan.attachedRoutes()).containsEntry("listener-1", 1).containsEntry("listener-2", 1)
        .containsEntry("listener-3", 1).containsEntry("listener-4", 1).containsEntry("listener-5", 0);
    assertThat(served(plan, "v1")).containsExactly("port-80 [foo.com]");
    assertThat(served(plan, "v2")).containsExactly("port-8080 [foo.com, bar.com]");
    // bar.com on 8090 is listener-5's, which no route is attached to: the proxy answers it 404
    assertThat(served(plan, "v3")).containsExactly("port-8090 [foo.com]");
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void aPortNoNamedListenerHasAttachesTheRouteNowhereAndIsToldNoMatchingParent() {
    HttpRouteResource noPort = t.route("infra", "no-port", "parentRefs: [{name: gw, port: 81}]\n"
        + "rules: [{backendRefs: [{name: web, port: 8080}]}]");
    HttpRouteResource otherPort = t.route("infra", "other-port",
        "parentRefs: [{name: gw, sectionName: listener-1, port: 8080}]\n"
        + "rules: [{backendRefs: [{name: web, port: 8080}]}]");
    GatewayPlan plan = t.plan(GATEWAY);

    ParentVerdict none = GatewayTranslatorTest.only(plan, noPort);
    assertThat(none.acceptedReason()).isEqualTo("NoMatchingParent");
    assertThat(none.acceptedMessage()).contains("on port 81");
    assertThat(none.refsReason()).isEqualTo("ResolvedRefs");
    ParentVerdict mismatch = GatewayTranslatorTest.only(plan, otherPort);
    assertThat(mismatch.acceptedReason()).isEqualTo("NoMatchingParent");
    assertThat(mismatch.acceptedMessage()).contains("named listener-1 on port 8080");
    assertThat(plan.attachedRoutes().values()).containsOnly(0);
    assertThat(plan.spec().routesOrEmpty()).extracting(Route::name).noneMatch(n -> n.startsWith("httproute-"));
  }

  private static List<String> served(GatewayPlan plan, String route) {
    return plan.spec().routesOrEmpty().stream().filter(r -> r.name().startsWith("httproute-infra-" + route + "-"))
        .map(r -> String.join(",", r.listeners()) + " " + r.hosts()).distinct().toList();
  }
}
