package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.LoadBalancer;
import dev.gantry.model.LoadBalancerValidator;
import dev.gantry.model.Metadata;
import dev.gantry.model.Route;
import dev.gantry.model.ValidationMode;
import dev.gantry.operator.gateway.api.TlsRouteResource;
import dev.gantry.operator.translate.ClusterRefs;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TLSRoute hostnames intersected with a passthrough listener's, as SNI routes the model accepts. */
class TlsRouteHostnamesTest {

  private final Map<String, ClusterRefs> refs = Map.of("infra", new ClusterRefs(Map.of(
      "one", GatewayTranslatorTest.service("one", 443), "two", GatewayTranslatorTest.service("two", 443)), Map.of(),
      Map.of()));

  static TlsRouteResource tlsRoute(String name, String hostname, String backend) {
    return Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: TLSRoute
        metadata: {name: %s, namespace: infra, uid: %s}
        spec:
          parentRefs: [{name: gw}]
          hostnames: ["%s"]
          rules: [{backendRefs: [{name: %s, port: 443}]}]
        """.formatted(name, name, hostname, backend), TlsRouteResource.class);
  }

  GatewayPlan plan(String listenerHostname, TlsRouteResource... routes) {
    String hostname = listenerHostname == null ? "" : ", hostname: \"" + listenerHostname + "\"";
    return GatewayTranslator.translate(new GatewayInputs(GatewayTranslatorTest.gateway("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: infra}
        spec:
          gatewayClassName: gantry
          listeners:
          - {name: pass, port: 443, protocol: TLS, tls: {mode: Passthrough}%s}
        """.formatted(hostname)), List.of(), List.of(routes), Map.of(), List.of(),
        ns -> refs.getOrDefault(ns, ClusterRefs.NONE)));
  }

  static List<?> validate(GatewayPlan plan) {
    return LoadBalancerValidator.validate(new LoadBalancer(LoadBalancer.API_VERSION, LoadBalancer.KIND,
        new Metadata("gw-gw", "infra", null, null, null), plan.spec(), null), ValidationMode.CLUSTER);
  }

  static List<String> hosts(GatewayPlan plan, String routeName) {
    return plan.spec().routesOrEmpty().stream().filter(r -> r.name().startsWith("tlsroute-infra-" + routeName))
        .findFirst().map(Route::hosts).orElseThrow();
  }

  @Test
  void aWildcardOverATopLevelDomainOnAListenerWithoutHostnameIsServedAsWritten() {
    GatewayPlan plan = plan(null, tlsRoute("exact", "abc.example.com", "one"), tlsRoute("tld", "*.com", "two"));

    assertThat(hosts(plan, "exact")).containsExactly("abc.example.com");
    assertThat(hosts(plan, "tld")).containsExactly("*.com");
    // the whole model is valid, so the fleet serves both routes (a refused model would keep the last good one)
    assertThat(validate(plan)).isEmpty();
  }

  @Test
  void aWildcardOverATopLevelDomainNarrowsToAMoreSpecificListenerHostname() {
    GatewayPlan plan = plan("*.example.com", tlsRoute("exact", "abc.example.com", "one"),
        tlsRoute("tld", "*.com", "two"));

    assertThat(hosts(plan, "exact")).containsExactly("abc.example.com");
    assertThat(hosts(plan, "tld")).containsExactly("*.example.com");
    assertThat(validate(plan)).isEmpty();
  }

  @Test
  void aListenerWildcardOverATopLevelDomainKeepsTheRoutesNames() {
    GatewayPlan plan = plan("*.com", tlsRoute("exact", "abc.example.com", "one"),
        tlsRoute("wild", "*.example.com", "two"));

    assertThat(hosts(plan, "exact")).containsExactly("abc.example.com");
    assertThat(hosts(plan, "wild")).containsExactly("*.example.com");
    assertThat(validate(plan)).isEmpty();
  }
}
