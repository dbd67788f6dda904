package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Route;
import dev.gantry.model.RouteBackend;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.translate.ClusterRefs;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Listeners on one port with nested hostnames (the Gateway API conformance case): each route serves only what
 * its listener takes, and each listener with a less specific one beside it ends with a 404 route for its hostname.
 */
class ListenerIsolationTest {

  static final String GATEWAY = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: infra, generation: 1}
      spec:
        gatewayClassName: gantry
        listeners:
        - {name: empty-hostname, port: 80, protocol: HTTP}
        - {name: wildcard-example-com, port: 80, protocol: HTTP, hostname: "*.example.com"}
        - {name: wildcard-foo-example-com, port: 80, protocol: HTTP, hostname: "*.foo.example.com"}
        - {name: abc-foo-example-com, port: 80, protocol: HTTP, hostname: abc.foo.example.com}
        - {name: other-port, port: 8080, protocol: HTTP, hostname: "*.example.com"}
      """;

  private final List<HttpRouteResource> routes = new ArrayList<>();
  private final Map<String, ClusterRefs> refs = Map.of("infra",
      new ClusterRefs(Map.of("web", GatewayTranslatorTest.service("web", 8080)), Map.of(), Map.of()));

  void route(String listener, String hostnames) {
    routes.add(Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: infra, generation: 1, uid: %s}
        spec:
          parentRefs: [{name: gw, sectionName: %s}]
          hostnames: %s
          rules:
          - matches: [{path: {type: PathPrefix, value: /%s}}]
            backendRefs: [{name: web, port: 8080}]
        """.formatted(listener, listener, listener, hostnames, listener), HttpRouteResource.class));
  }

  GatewayPlan plan() {
    return GatewayTranslator.translate(new GatewayInputs(GatewayTranslatorTest.gateway(GATEWAY), routes, Map.of(),
        List.of(), ns -> refs.getOrDefault(ns, ClusterRefs.NONE)));
  }

  /** The hosts of each model route, by route name ("*" for any host). */
  static Map<String, String> hostsByRoute(GatewayPlan plan) {
    return plan.spec().routesOrEmpty().stream().collect(Collectors.toMap(Route::name,
        r -> r.hosts() == null ? "*" : String.join(",", r.hosts()), (a, b) -> a, java.util.TreeMap::new));
  }

  @Test
  void hostnamesOnlyOnTheListenersEndEachNarrowerListenerWithA404() {
    for (String l : List.of("empty-hostname", "wildcard-example-com", "wildcard-foo-example-com",
        "abc-foo-example-com")) {
      route(l, "[]");
    }
    GatewayPlan plan = plan();

    assertThat(hostsByRoute(plan)).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
        "httproute-infra-abc-foo-example-com-0-0-port-80", "abc.foo.example.com",
        "httproute-infra-empty-hostname-0-0-port-80", "*",
        "httproute-infra-wildcard-example-com-0-0-port-80", "*.example.com",
        "httproute-infra-wildcard-foo-example-com-0-0-port-80", "*.foo.example.com",
        "listener-isolation-abc-foo-example-com-port-80", "abc.foo.example.com",
        "listener-isolation-wildcard-example-com-port-80", "*.example.com",
        "listener-isolation-wildcard-foo-example-com-port-80", "*.foo.example.com")));
    Route boundary = GatewayTranslatorTest.modelRoute(plan, "listener-isolation-wildcard-example-com");
    assertThat(boundary.listeners()).containsExactly("port-80");
    assertThat(boundary.paths()).isNull();
    assertThat(boundary.backends()).containsExactly(new RouteBackend("gateway-listener-not-found", null));
    assertThat(plan.spec().backendsOrEmpty()).anySatisfy(b -> {
      assertThat(b.name()).isEqualTo("gateway-listener-not-found");
      assertThat(b.fixedResponse().status()).isEqualTo(404);
    });
    // every listener keeps its route
    assertThat(plan.attachedRoutes()).containsEntry("empty-hostname", 1).containsEntry("abc-foo-example-com", 1);
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void routeHostnamesANarrowerListenerTakesAreDropped() {
    String hostnames = "[bar.com, \"*.example.com\", \"*.foo.example.com\"]";
    for (String l : List.of("empty-hostname", "wildcard-example-com", "wildcard-foo-example-com",
        "abc-foo-example-com")) {
      route(l, hostnames);
    }
    GatewayPlan plan = plan();

    assertThat(hostsByRoute(plan)).containsEntry("httproute-infra-empty-hostname-0-0-port-80", "bar.com")
        .containsEntry("httproute-infra-wildcard-example-com-0-0-port-80", "*.example.com")
        .containsEntry("httproute-infra-wildcard-foo-example-com-0-0-port-80", "*.foo.example.com")
        .containsEntry("httproute-infra-abc-foo-example-com-0-0-port-80", "abc.foo.example.com");
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void aRouteWhoseEveryHostnameANarrowerListenerTakesServesNothingThereButStaysAttached() {
    route("wildcard-example-com", "[x.foo.example.com, abc.foo.example.com]");
    GatewayPlan plan = plan();

    assertThat(hostsByRoute(plan)).doesNotContainKey("httproute-infra-wildcard-example-com-0-0-port-80");
    assertThat(plan.attachedRoutes()).containsEntry("wildcard-example-com", 1);
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void aListenerAloneOnItsPortOrWithoutALessSpecificOneGetsNo404Route() {
    GatewayPlan plan = GatewayTranslator.translate(new GatewayInputs(GatewayTranslatorTest.gateway("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: infra, generation: 1}
        spec:
          gatewayClassName: gantry
          listeners:
          - {name: a, port: 80, protocol: HTTP, hostname: a.example.com}
          - {name: b, port: 80, protocol: HTTP, hostname: b.example.com}
          - {name: c, port: 8080, protocol: HTTP, hostname: "*.example.com"}
        """), List.of(), Map.of(), List.of(), ns -> ClusterRefs.NONE));

    assertThat(plan.spec().routesOrEmpty()).isEmpty();
    assertThat(plan.spec().backendsOrEmpty()).isEmpty();
  }

  @Test
  void httpsListenersSharingAPortSplitItBySniHost() {
    Map<String, ClusterRefs> withCert = Map.of("infra", new ClusterRefs(Map.of(), Map.of(),
        Map.of("cert", GatewayTranslatorTest.tlsSecret())));
    GatewayPlan plan = GatewayTranslator.translate(new GatewayInputs(GatewayTranslatorTest.gateway("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: infra, generation: 1}
        spec:
          gatewayClassName: gantry
          listeners:
          - {name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: cert}]}}
          - {name: second, port: 443, protocol: HTTPS, hostname: second-example.org,
             tls: {certificateRefs: [{name: cert}]}}
          - {name: wildcard, port: 443, protocol: HTTPS, hostname: "*.Wildcard.org",
             tls: {certificateRefs: [{name: cert}]}}
          - {name: alone, port: 8443, protocol: HTTPS, hostname: alone.example.org,
             tls: {certificateRefs: [{name: cert}]}}
        """), List.of(), Map.of(), List.of(), ns -> withCert.getOrDefault(ns, ClusterRefs.NONE)));

    assertThat(plan.spec().listenersOrEmpty()).extracting(l -> l.name() + ":" + l.tls().sniHosts())
        .containsExactly("port-443:[second-example.org, *.wildcard.org]", "port-8443:null");
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }
}
