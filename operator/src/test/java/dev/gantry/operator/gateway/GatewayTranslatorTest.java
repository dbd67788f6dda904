package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.LoadBalancer;
import dev.gantry.model.LoadBalancerValidator;
import dev.gantry.model.Metadata;
import dev.gantry.model.Route;
import dev.gantry.model.RouteBackend;
import dev.gantry.model.ValidationMode;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.gateway.api.ReferenceGrantResource;
import dev.gantry.operator.gateway.api.TlsRouteResource;
import dev.gantry.operator.translate.ClusterRefs;
import dev.gantry.operator.translate.ModelResolverTest;
import dev.gantry.proxy.testing.TestCertificates;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Gateway and its HTTPRoutes in, the LoadBalancer spec and the verdicts for listeners and routes out. */
class GatewayTranslatorTest {

  static final String GATEWAY = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: infra, generation: 1}
      spec:
        gatewayClassName: gantry
        listeners:
        - {name: http, port: 80, protocol: HTTP}
        - name: wild
          port: 8080
          protocol: HTTP
          hostname: "*.example.com"
          allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {team: a}}}}
      """;

  private final List<HttpRouteResource> routes = new ArrayList<>();
  private final List<ReferenceGrantResource> grants = new ArrayList<>();
  private final Map<String, Map<String, String>> labels = Map.of("apps", Map.of("team", "a"));
  private final Map<String, ClusterRefs> refs = Map.of(
      "infra", new ClusterRefs(Map.of("web", service("web", 8080)), Map.of(), Map.of("cert", tlsSecret())),
      "apps", new ClusterRefs(Map.of("api", service("api", 9000)),
          Map.of("api", List.of(ModelResolverTest.slice("api", "p", 9000, "10.0.0.7"))), Map.of()));

  static GatewayResource gateway(String yaml) {
    return Serialization.unmarshal(yaml, GatewayResource.class);
  }

  HttpRouteResource route(String namespace, String name, String spec) {
    HttpRouteResource r = Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: %s, generation: 2, uid: %s}
        spec:
        """.formatted(name, namespace, name) + spec.indent(2), HttpRouteResource.class);
    routes.add(r);
    return r;
  }

  GatewayPlan plan(String gateway) {
    return GatewayTranslator.translate(new GatewayInputs(gateway(gateway), routes, labels, grants,
        ns -> refs.getOrDefault(ns, ClusterRefs.NONE)));
  }

  static ParentVerdict only(GatewayPlan plan, io.fabric8.kubernetes.api.model.HasMetadata route) {
    assertThat(plan.verdicts().get(route)).hasSize(1);
    return plan.verdicts().get(route).get(0);
  }

  static Route modelRoute(GatewayPlan plan, String prefix) {
    return plan.spec().routesOrEmpty().stream().filter(r -> r.name().startsWith(prefix)).findFirst().orElseThrow();
  }

  @Test
  void anHttpRouteBecomesOneModelRoutePerMatchOnItsListenersPort() {
    HttpRouteResource r = route("infra", "shop", """
        parentRefs: [{name: gw, sectionName: http}]
        rules:
        - matches:
          - path: {type: Exact, value: /cart}
            headers: [{name: X-Tier, value: gold}, {name: x-tier, value: silver}]
            method: POST
          - path: {type: PathPrefix, value: /shop/}
          filters:
          - type: RequestHeaderModifier
            requestHeaderModifier: {set: [{name: X-Via, value: gantry}], add: [{name: X-Tag, value: a}],
              remove: [X-Drop]}
          - type: ResponseHeaderModifier
            responseHeaderModifier: {add: [{name: Vary, value: Accept}]}
          backendRefs: [{name: web, port: 8080, weight: 3}, {name: api, namespace: apps, port: 9000}]
        """);
    GatewayPlan plan = plan(GATEWAY);

    assertThat(plan.spec().listenersOrEmpty()).extracting(l -> l.name() + ":" + l.port() + ":" + l.protocol())
        .containsExactly("port-80:80:HTTP", "port-8080:8080:HTTP");
    Route exact = modelRoute(plan, "httproute-infra-shop-0-0");
    assertThat(exact.listeners()).containsExactly("port-80");
    assertThat(exact.hosts()).isNull();
    assertThat(exact.paths().get(0).value()).isEqualTo("/cart");
    assertThat(exact.headers()).extracting(h -> h.name() + "=" + h.value()).containsExactly("X-Tier=gold");
    assertThat(exact.methods()).containsExactly("POST");
    assertThat(exact.requestHeaders().set()).containsEntry("X-Via", "gantry");
    assertThat(exact.requestHeaders().add()).containsExactly(Map.entry("X-Tag", "a"));
    assertThat(exact.requestHeaders().remove()).containsExactly("X-Drop");
    assertThat(exact.responseHeaders().add()).containsExactly(Map.entry("Vary", "Accept"));
    assertThat(exact.responseHeaders().set()).isNull();
    assertThat(modelRoute(plan, "httproute-infra-shop-0-1").paths().get(0).value()).isEqualTo("/shop");
    // the other namespace's Service is not granted: its share is answered with 500
    assertThat(exact.backends()).containsExactly(new RouteBackend("svc-web-8080", 3),
        new RouteBackend(BackendRefs.INVALID.name(), 1));
    assertThat(plan.spec().backendsOrEmpty()).filteredOn(b -> b.name().equals(BackendRefs.INVALID.name()))
        .singleElement().satisfies(b -> {
          assertThat(b.fixedResponse().status()).isEqualTo(500);
          assertThat(b.endpoints()).isNull();
        });
    ParentVerdict v = only(plan, r);
    assertThat(v.acceptedReason()).isEqualTo("Accepted");
    assertThat(v.refsReason()).isEqualTo("RefNotPermitted");
    assertThat(plan.attachedRoutes()).containsEntry("http", 1).containsEntry("wild", 0);
    assertThat(validate(plan)).isEmpty();
  }

  @Test
  void aReferenceGrantLetsARouteUseAServiceOfAnotherNamespaceByItsEndpoints() {
    grants.add(Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: g, namespace: apps}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra}]
          to: [{group: "", kind: Service}]
        """, ReferenceGrantResource.class));
    HttpRouteResource r = route("infra", "shop", """
        parentRefs: [{name: gw, port: 80}]
        rules: [{backendRefs: [{name: api, namespace: apps, port: 9000}]}]
        """);
    GatewayPlan plan = plan(GATEWAY);

    assertThat(only(plan, r).refsReason()).isEqualTo("ResolvedRefs");
    assertThat(plan.spec().backendsOrEmpty()).anySatisfy(b -> {
      assertThat(b.name()).isEqualTo("svc-apps-api-9000");
      assertThat(b.endpointsOrEmpty()).extracting(e -> e.address() + ":" + e.port()).containsExactly("10.0.0.7:9000");
    });
    assertThat(validate(plan)).isEmpty();
  }

  @Test
  void routesAreToldWhyTheyDoNotAttach() {
    HttpRouteResource otherNs = route("apps", "a", """
        parentRefs: [{name: gw, namespace: infra, sectionName: http}]
        rules: [{backendRefs: [{name: api, port: 9000}]}]
        """);
    HttpRouteResource noSection = route("infra", "b", """
        parentRefs: [{name: gw, sectionName: nope}]
        """);
    HttpRouteResource wrongHost = route("apps", "c", """
        parentRefs: [{name: gw, namespace: infra, sectionName: wild}]
        hostnames: [shop.example.org]
        """);
    HttpRouteResource rightHost = route("apps", "d", """
        parentRefs: [{name: gw, namespace: infra, sectionName: wild}]
        hostnames: [shop.example.com, "*.example.com", other.org]
        rules: [{backendRefs: [{name: api, port: 9000}]}]
        """);
    HttpRouteResource elsewhere = route("infra", "e", """
        parentRefs: [{name: other-gw}]
        """);
    GatewayPlan plan = plan(GATEWAY);

    assertThat(only(plan, otherNs).acceptedReason()).isEqualTo("NotAllowedByListeners");
    assertThat(only(plan, noSection).acceptedReason()).isEqualTo("NoMatchingParent");
    assertThat(only(plan, wrongHost).acceptedReason()).isEqualTo("NoMatchingListenerHostname");
    assertThat(only(plan, rightHost).acceptedReason()).isEqualTo("Accepted");
    assertThat(plan.verdicts()).doesNotContainKey(elsewhere);
    assertThat(modelRoute(plan, "httproute-apps-d").hosts()).containsExactly("shop.example.com", "*.example.com");
    assertThat(plan.attachedRoutes()).containsEntry("http", 0).containsEntry("wild", 1);
  }

  @Test
  void backendRefsThatCannotResolveSayWhy() {
    HttpRouteResource missing = route("infra", "a", "parentRefs: [{name: gw}]\nrules: [{backendRefs: [{name: nope, port: 1}]}]");
    HttpRouteResource noPort = route("infra", "b", "parentRefs: [{name: gw}]\nrules: [{backendRefs: [{name: web, port: 1}]}]");
    HttpRouteResource kind = route("infra", "c",
        "parentRefs: [{name: gw}]\nrules: [{backendRefs: [{kind: ConfigMap, name: web, port: 1}]}]");
    GatewayPlan plan = plan(GATEWAY);

    assertThat(only(plan, missing).refsReason()).isEqualTo("BackendNotFound");
    assertThat(only(plan, noPort).refsReason()).isEqualTo("BackendNotFound");
    assertThat(only(plan, kind).refsReason()).isEqualTo("InvalidKind");
    assertThat(only(plan, kind).acceptedReason()).isEqualTo("Accepted");
    assertThat(modelRoute(plan, "httproute-infra-c").backends())
        .containsExactly(new RouteBackend(BackendRefs.INVALID.name(), 1));
    assertThat(modelRoute(plan, "httproute-infra-a").backends())
        .containsExactly(new RouteBackend(BackendRefs.INVALID.name(), 1));
    assertThat(validate(plan)).isEmpty();
  }

  @Test
  void aRuleWithoutBackendRefsAnswers500AndAPartlyInvalidRuleKeepsItsWeights() {
    HttpRouteResource none = route("infra", "a", """
        parentRefs: [{name: gw}]
        rules: [{matches: [{path: {type: PathPrefix, value: /none}}]}]
        """);
    HttpRouteResource partly = route("infra", "b", """
        parentRefs: [{name: gw}]
        rules:
        - matches: [{path: {type: PathPrefix, value: /partly}}]
          backendRefs: [{name: web, port: 8080, weight: 1}, {name: nope, port: 80, weight: 3},
            {kind: ConfigMap, name: web, weight: 2}]
        """);
    GatewayPlan plan = plan(GATEWAY);

    assertThat(only(plan, none).acceptedReason()).isEqualTo("Accepted");
    assertThat(only(plan, none).refsReason()).isEqualTo("ResolvedRefs");
    assertThat(modelRoute(plan, "httproute-infra-a").backends())
        .containsExactly(new RouteBackend(BackendRefs.INVALID.name(), 1));
    // the two unusable refs are one fixed backend with their summed weight: 5 of every 6 requests get 500
    assertThat(modelRoute(plan, "httproute-infra-b").backends())
        .containsExactly(new RouteBackend("svc-web-8080", 1), new RouteBackend(BackendRefs.INVALID.name(), 5));
    assertThat(only(plan, partly).refsReason()).isEqualTo("BackendNotFound");
    assertThat(plan.spec().backendsOrEmpty()).extracting(b -> b.name())
        .doesNotContain(BackendRefs.UNRESOLVED.name());
    assertThat(validate(plan)).isEmpty();
  }

  @Test
  void rulesTheModelCannotServeAreLeftOutAndNamed() {
    HttpRouteResource partly = route("infra", "a", """
        parentRefs: [{name: gw}]
        rules:
        - matches: [{queryParams: [{type: RegularExpression, name: q, value: "1+"}]}]
          backendRefs: [{name: web, port: 8080}]
        - backendRefs: [{name: web, port: 8080}]
        """);
    HttpRouteResource none = route("infra", "b", """
        parentRefs: [{name: gw}]
        rules:
        - filters: [{type: ExtensionRef, extensionRef: {group: example.org, kind: Shadow, name: web}}]
        """);
    GatewayPlan plan = plan(GATEWAY);

    ParentVerdict p = only(plan, partly);
    assertThat(p.acceptedReason()).isEqualTo("Accepted");
    assertThat(p.partiallyInvalid()).contains("rules[0]", "query parameter match type RegularExpression");
    assertThat(plan.spec().routesOrEmpty()).extracting(Route::name)
        .anyMatch(n -> n.startsWith("httproute-infra-a-1-0")).noneMatch(n -> n.startsWith("httproute-infra-a-0"));
    assertThat(only(plan, none).acceptedReason()).isEqualTo("UnsupportedValue");
    assertThat(plan.spec().routesOrEmpty()).extracting(Route::name).noneMatch(n -> n.startsWith("httproute-infra-b"));
  }

  @Test
  void listenersAreCheckedForProtocolConflictsKindsAndCertificates() {
    GatewayPlan plan = plan("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: infra}
        spec:
          gatewayClassName: gantry
          listeners:
          - {name: a, port: 80, protocol: HTTP}
          - {name: b, port: 80, protocol: HTTPS, tls: {certificateRefs: [{name: cert}]}}
          - {name: c, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: cert}]}}
          - {name: d, port: 444, protocol: HTTPS, tls: {certificateRefs: [{name: missing}]}}
          - {name: e, port: 445, protocol: HTTPS, tls: {certificateRefs: [{name: cert, namespace: apps}]}}
          - {name: f, port: 81, protocol: HTTP, allowedRoutes: {kinds: [{kind: HTTPRoute}, {kind: TCPRoute}]}}
          - {name: g, port: 82, protocol: UDP}
        """);
    Map<String, CheckedListener> byName = new java.util.HashMap<>();
    plan.listeners().forEach(l -> byName.put(l.name(), l));

    assertThat(byName.get("a").conflictReason()).isEqualTo("ProtocolConflict");
    assertThat(byName.get("b").conflictReason()).isEqualTo("ProtocolConflict");
    assertThat(byName.get("c").refsResolved()).isTrue();
    assertThat(byName.get("d").refsReason()).isEqualTo("InvalidCertificateRef");
    assertThat(byName.get("e").refsReason()).isEqualTo("RefNotPermitted");
    assertThat(byName.get("f").refsReason()).isEqualTo("InvalidRouteKinds");
    assertThat(byName.get("f").supportedKinds()).hasSize(1);
    assertThat(byName.get("g").acceptedReason()).isEqualTo("UnsupportedProtocol");
    // ports 80 (conflicted), 444 and 445 (no usable certificate) and 82 are not served
    assertThat(plan.spec().listenersOrEmpty()).extracting(l -> l.name())
        .containsExactly("port-81", "port-443");
    assertThat(plan.spec().listenersOrEmpty().get(1).tls().certificatesOrEmpty().get(0).secretName())
        .isEqualTo("cert");
  }

  static List<?> validate(GatewayPlan plan) {
    return LoadBalancerValidator.validate(new LoadBalancer(LoadBalancer.API_VERSION, LoadBalancer.KIND,
        new Metadata("gw-gw", "infra", null, null, null), plan.spec(), null), ValidationMode.CLUSTER);
  }

  @Test
  void aGrantedCertificateOfAnotherNamespaceIsServedFromTheGatewaysCopy() {
    GatewayResource gw = gateway("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: infra}
        spec:
          gatewayClassName: gantry
          listeners:
          - {name: e, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: shared, namespace: certs}]}}
        """);
    Map<String, ClusterRefs> withCerts = new java.util.HashMap<>(refs);
    Secret shared = new SecretBuilder(tlsSecret()).editMetadata().withName("shared").withNamespace("certs")
        .endMetadata().build();
    withCerts.put("certs", new ClusterRefs(Map.of(), Map.of(), Map.of("shared", shared)));
    java.util.function.Function<String, ClusterRefs> in = ns -> withCerts.getOrDefault(ns, ClusterRefs.NONE);

    GatewayPlan refused = GatewayTranslator.translate(new GatewayInputs(gw, routes, labels, grants, in));
    assertThat(refused.listeners().get(0).refsReason()).isEqualTo("RefNotPermitted");
    assertThat(refused.secretCopies()).isEmpty();

    grants.add(Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: g, namespace: certs}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: infra}]
          to: [{group: "", kind: Secret, name: shared}]
        """, ReferenceGrantResource.class));
    GatewayPlan granted = GatewayTranslator.translate(new GatewayInputs(gw, routes, labels, grants, in));
    String copy = ListenerChecks.copyName("gw", "certs", "shared");
    assertThat(granted.listeners().get(0).refsResolved()).isTrue();
    assertThat(granted.spec().listenersOrEmpty().get(0).tls().certificatesOrEmpty().get(0).secretName())
        .isEqualTo(copy);
    assertThat(granted.secretCopies()).containsOnlyKeys(copy).containsValue(shared);
    Secret made = CertificateCopies.desired(gw, copy, shared);
    assertThat(made.getMetadata().getNamespace()).isEqualTo("infra");
    assertThat(made.getData()).isEqualTo(shared.getData());
    assertThat(made.getMetadata().getLabels()).containsEntry(CertificateCopies.LABEL, "gw-gw");
  }

  @Test
  void aGatewayWithSomeInvalidListenersIsAcceptedAndSaysSo() {
    GatewayResource gw = gateway("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: infra, generation: 3}
        spec:
          gatewayClassName: gantry
          listeners:
          - {name: a, port: 80, protocol: HTTP}
          - {name: b, port: 81, protocol: UDP}
        """);
    GatewayPlan plan = GatewayTranslator.translate(new GatewayInputs(gw, routes, labels, grants,
        ns -> refs.getOrDefault(ns, ClusterRefs.NONE)));
    GatewayResource.Status status = GatewayStatuses.of(gw, plan, false, List.of(), java.time.Instant.EPOCH);

    assertThat(status.conditions().get(0)).satisfies(c -> {
      assertThat(c.type()).isEqualTo("Accepted");
      assertThat(c.status()).isEqualTo("True");
      assertThat(c.reason()).isEqualTo("ListenersNotValid");
      assertThat(c.observedGeneration()).isEqualTo(3L);
    });
    assertThat(status.listeners().get(1).conditions().get(0).reason()).isEqualTo("UnsupportedProtocol");
  }

  @Test
  void aTlsRouteOnAPassthroughListenerIsRoutedByServerName() {
    TlsRouteResource tls = Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: TLSRoute
        metadata: {name: db, namespace: infra, uid: db}
        spec:
          parentRefs: [{name: gw}]
          hostnames: [db.example.com]
          rules: [{backendRefs: [{name: web, port: 8080}]}]
        """, TlsRouteResource.class);
    HttpRouteResource http = route("infra", "site", "parentRefs: [{name: gw}]\nrules: [{backendRefs: [{name: web, port: 8080}]}]");
    GatewayResource gw = gateway("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: infra}
        spec:
          gatewayClassName: gantry
          listeners:
          - {name: web, port: 80, protocol: HTTP}
          - {name: pass, port: 443, protocol: TLS, hostname: "*.example.com", tls: {mode: Passthrough}}
          - {name: term, port: 8443, protocol: TLS, tls: {mode: Terminate, certificateRefs: [{name: cert}]}}
        """);
    GatewayPlan plan = GatewayTranslator.translate(new GatewayInputs(gw, routes, List.of(tls), labels, grants,
        ns -> refs.getOrDefault(ns, ClusterRefs.NONE)));

    assertThat(plan.listeners().get(1).supportedKinds()).extracting(GatewayResource.RouteGroupKind::kind)
        .containsExactly("TLSRoute");
    assertThat(plan.listeners().get(2).acceptedReason()).isEqualTo("Accepted");
    assertThat(plan.spec().listenersOrEmpty()).extracting(l -> l.name() + ":" + l.protocol())
        .containsExactly("port-80:HTTP", "port-443:TLS", "port-8443:TLS");
    assertThat(plan.spec().listenersOrEmpty().get(1).tls()).isNull();
    Route sni = modelRoute(plan, "tlsroute-infra-db");
    assertThat(sni.listeners()).containsExactly("port-443");
    assertThat(sni.hosts()).containsExactly("db.example.com");
    assertThat(sni.paths()).isNull();
    assertThat(sni.needsHttp()).isFalse();
    assertThat(only(plan, tls).acceptedReason()).isEqualTo("Accepted");
    // each kind attaches only where it is allowed: the HTTPRoute to port 80, the TLSRoute to 443
    assertThat(modelRoute(plan, "httproute-infra-site").listeners()).containsExactly("port-80");
    assertThat(plan.attachedRoutes()).containsEntry("web", 1).containsEntry("pass", 1);
    assertThat(validate(plan)).isEmpty();
  }

  static Service service(String name, int port) {
    return new ServiceBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
        .addNewPort().withName("p").withPort(port).withProtocol("TCP").endPort().endSpec().build();
  }

  static Secret tlsSecret() {
    String pem = TestCertificates.authority("gateway-test-ca").certificatePem();
    return new SecretBuilder().withNewMetadata().withName("cert").endMetadata().withType("kubernetes.io/tls")
        .addToData("tls.crt", java.util.Base64.getEncoder().encodeToString(pem.getBytes()))
        .addToData("tls.key", "a2V5").build();
  }
}
