package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Backend;
import dev.gantry.model.BackendProtocol;
import dev.gantry.model.ObjectKeyRef;
import dev.gantry.model.ReferenceKind;
import dev.gantry.operator.gateway.api.BackendTlsPolicyResource;
import dev.gantry.operator.gateway.api.GatewayApi;
import dev.gantry.operator.gateway.api.GrpcRouteResource;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.gateway.api.ParentRef;
import dev.gantry.operator.gateway.api.TlsRouteResource;
import dev.gantry.operator.translate.ClusterRefs;
import dev.gantry.proxy.testing.TestCertificates;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** BackendTLSPolicies: the TLS they give the backends of a Gateway's routes, and what each policy is told. */
class BackendTlsPolicyTest {

  static final String CA_PEM = TestCertificates.authority("backend-ca").certificatePem();

  private final List<HttpRouteResource> routes = new ArrayList<>();
  private final List<GrpcRouteResource> grpcRoutes = new ArrayList<>();
  private final List<TlsRouteResource> tlsRoutes = new ArrayList<>();
  private final List<BackendTlsPolicyResource> policies = new ArrayList<>();
  private final Map<String, ConfigMap> configMaps = new HashMap<>(Map.of(
      "ca", configMap("ca", Map.of("ca.crt", CA_PEM)),
      "empty", configMap("empty", Map.of())));
  private final Map<String, Service> services = new HashMap<>(Map.of(
      "tls", service("tls", Map.of("btls", 443, "other", 8443)),
      "plain", service("plain", Map.of("http", 80))));
  private final Map<String, ClusterRefs> refs = new HashMap<>();

  @Test
  void aPolicyOnAServicePortMakesItsBackendSpeakTlsVerifiedByTheConfigMapsCaAndTheHostname() {
    HttpRouteResource r = route("""
        rules:
        - backendRefs: [{name: tls, port: 443}]
        - backendRefs: [{name: plain, port: 80}]
        """);
    BackendTlsPolicyResource p = policy("normative", "2024-01-01T00:00:00Z", "tls", "btls", """
        caCertificateRefs: [{group: "", kind: ConfigMap, name: ca}]
        hostname: abc.example.com
        """);
    policy("unused", "2024-01-01T00:00:00Z", "elsewhere", null, """
        caCertificateRefs: [{group: "", kind: ConfigMap, name: ca}]
        hostname: abc.example.com
        """);

    GatewayPlan plan = plan();

    Backend tls = backend(plan, "tls-svc-tls-443");
    assertThat(tls.protocol()).isEqualTo(BackendProtocol.TLS);
    assertThat(tls.tls().serverName()).isEqualTo("abc.example.com");
    assertThat(tls.tls().subjectAltNames()).isNull();
    assertThat(tls.tls().caCertificateRefs()).containsExactly(new ObjectKeyRef(ReferenceKind.ConfigMap, "ca", null));
    assertThat(backend(plan, "svc-plain-80").tls()).isNull();
    assertThat(plan.policies()).containsOnlyKeys(p);
    BackendTlsPolicies.Verdict v = plan.policies().get(p);
    assertThat(v.accepted()).isTrue();
    assertThat(v.acceptedReason()).isEqualTo("Accepted");
    assertThat(v.resolved()).isTrue();
    assertThat(v.refsReason()).isEqualTo("ResolvedRefs");
    assertThat(GatewayTranslatorTest.only(plan, r).refsReason()).isEqualTo("ResolvedRefs");
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void aPolicyWhoseCaCannotBeReadIsNotAcceptedAndItsBackendFailsRequests() {
    route("""
        rules:
        - backendRefs: [{name: tls, port: 443}]
        """);
    services.put("missing", service("missing", Map.of("https", 443)));
    services.put("kind", service("kind", Map.of("https", 443)));
    HttpRouteResource other = route("""
        rules:
        - backendRefs: [{name: missing, port: 443}]
        - backendRefs: [{name: kind, port: 443}]
        """);
    BackendTlsPolicyResource empty = policy("empty", "2024-01-01T00:00:00Z", "tls", null, """
        caCertificateRefs: [{group: "", kind: ConfigMap, name: empty}]
        hostname: abc.example.com
        """);
    BackendTlsPolicyResource missing = policy("missing", "2024-01-01T00:00:00Z", "missing", null, """
        caCertificateRefs: [{group: "", kind: ConfigMap, name: nowhere}]
        hostname: abc.example.com
        """);
    BackendTlsPolicyResource kind = policy("kind", "2024-01-01T00:00:00Z", "kind", null, """
        caCertificateRefs: [{group: invalid.io, kind: InvalidKind, name: invalid-kind}]
        hostname: abc.example.com
        """);

    GatewayPlan plan = plan();

    for (BackendTlsPolicyResource p : List.of(empty, missing, kind)) {
      BackendTlsPolicies.Verdict v = plan.policies().get(p);
      assertThat(v.accepted()).as(p.getMetadata().getName()).isFalse();
      assertThat(v.acceptedReason()).isEqualTo("NoValidCACertificate");
      assertThat(v.resolved()).isFalse();
    }
    assertThat(plan.policies().get(empty).refsReason()).isEqualTo("InvalidCACertificateRef");
    assertThat(plan.policies().get(empty).refsMessage()).contains("ConfigMap \"empty\" key \"ca.crt\" not found");
    assertThat(plan.policies().get(missing).refsReason()).isEqualTo("InvalidCACertificateRef");
    assertThat(plan.policies().get(missing).refsMessage()).contains("ConfigMap \"nowhere\" not found");
    assertThat(plan.policies().get(kind).refsReason()).isEqualTo("InvalidKind");
    // never spoken to without verification: every request to these Services gets 500
    assertThat(plan.spec().backendsOrEmpty()).extracting(Backend::name).containsExactly(BackendRefs.INVALID.name());
    assertThat(GatewayTranslatorTest.only(plan, other).refsReason()).isEqualTo("ResolvedRefs");

    configMaps.put("empty", configMap("empty", Map.of("ca.crt", "")));
    assertThat(plan().policies().get(empty).refsMessage()).contains("holds no PEM certificate");
    configMaps.put("empty", configMap("empty", Map.of("ca.crt", CA_PEM)));
    GatewayPlan fixed = plan();
    assertThat(fixed.policies().get(empty).accepted()).isTrue();
    assertThat(backend(fixed, "tls-svc-tls-443").protocol()).isEqualTo(BackendProtocol.TLS);
  }

  @Test
  void amongPoliciesOfOneTargetTheOldestThenTheFirstByNameWinsAndAPortsPolicyBeatsTheServices() {
    route("""
        rules:
        - backendRefs: [{name: tls, port: 443}]
        - backendRefs: [{name: tls, port: 8443}]
        """);
    BackendTlsPolicyResource whole2 = policy("whole-2", "2024-01-01T00:00:00Z", "tls", null, """
        caCertificateRefs: [{group: "", kind: ConfigMap, name: ca}]
        hostname: two.example.com
        """);
    BackendTlsPolicyResource whole1 = policy("whole-1", "2024-01-01T00:00:00Z", "tls", null, """
        caCertificateRefs: [{group: "", kind: ConfigMap, name: ca}]
        hostname: one.example.com
        """);
    BackendTlsPolicyResource portNewer = policy("port-a", "2024-06-01T00:00:00Z", "tls", "btls", """
        caCertificateRefs: [{group: "", kind: ConfigMap, name: ca}]
        hostname: newer.example.com
        """);
    BackendTlsPolicyResource portOlder = policy("port-b", "2024-03-01T00:00:00Z", "tls", "btls", """
        caCertificateRefs: [{group: "", kind: ConfigMap, name: ca}]
        hostname: older.example.com
        """);

    GatewayPlan plan = plan();

    assertThat(backend(plan, "tls-svc-tls-443").tls().serverName()).isEqualTo("older.example.com");
    assertThat(backend(plan, "tls-svc-tls-8443").tls().serverName()).isEqualTo("one.example.com");
    assertThat(plan.policies().get(whole1).acceptedReason()).isEqualTo("Accepted");
    assertThat(plan.policies().get(portOlder).acceptedReason()).isEqualTo("Accepted");
    assertThat(plan.policies().get(whole2).acceptedReason()).isEqualTo("Conflicted");
    assertThat(plan.policies().get(portNewer).acceptedReason()).isEqualTo("Conflicted");
    assertThat(plan.policies().get(portNewer).accepted()).isFalse();
  }

  @Test
  void subjectAltNamesReplaceTheHostnameAsWhatIsVerifiedWhichStaysTheSni() {
    route("""
        rules:
        - backendRefs: [{name: tls, port: 443}]
        """);
    BackendTlsPolicyResource p = policy("san", "2024-01-01T00:00:00Z", "tls", "btls", """
        caCertificateRefs: [{group: "", kind: ConfigMap, name: ca}]
        hostname: abc.example.com
        subjectAltNames:
        - {type: URI, uri: "spiffe://abc.example.com/test-identity"}
        - {type: Hostname, hostname: def.example.com}
        """);

    GatewayPlan plan = plan();

    Backend b = backend(plan, "tls-svc-tls-443");
    assertThat(b.tls().serverName()).isEqualTo("abc.example.com");
    assertThat(b.tls().verifyServerName()).isFalse();
    assertThat(b.tls().subjectAltNames()).containsExactly("spiffe://abc.example.com/test-identity",
        "def.example.com");
    assertThat(plan.policies().get(p).accepted()).isTrue();
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void aTlsRouteToTheSameServicePortRelaysToThePlainBackendBesideThePoliciesOne() {
    route("""
        rules:
        - backendRefs: [{name: tls, port: 443}]
        """);
    tlsRoutes.add(Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: TLSRoute
        metadata: {name: pass, namespace: infra, uid: pass}
        spec:
          parentRefs: [{name: gw}]
          hostnames: [pass.example.com]
          rules:
          - backendRefs: [{name: tls, port: 443}]
        """, TlsRouteResource.class));
    policy("normative", "2024-01-01T00:00:00Z", "tls", null, """
        caCertificateRefs: [{group: "", kind: ConfigMap, name: ca}]
        hostname: abc.example.com
        """);

    GatewayPlan plan = plan();

    assertThat(backend(plan, "tls-svc-tls-443").protocol()).isEqualTo(BackendProtocol.TLS);
    assertThat(backend(plan, "svc-tls-443").tls()).isNull();
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void wellKnownCaCertificatesAreRefusedAndTheBackendFailsRequests() {
    route("""
        rules:
        - backendRefs: [{name: tls, port: 443}]
        """);
    BackendTlsPolicyResource p = policy("system", "2024-01-01T00:00:00Z", "tls", null, """
        wellKnownCACertificates: System
        hostname: abc.example.com
        """);

    GatewayPlan plan = plan();

    assertThat(plan.policies().get(p).accepted()).isFalse();
    assertThat(plan.policies().get(p).acceptedReason()).isEqualTo("Invalid");
    assertThat(plan.policies().get(p).acceptedMessage()).contains("wellKnownCACertificates");
    assertThat(plan.spec().backendsOrEmpty()).extracting(Backend::name).containsExactly(BackendRefs.INVALID.name());
  }

  @Test
  void aGrpcRoutesBackendUnderAPolicySpeaksHttp2OverTls() {
    GrpcRouteResource g = Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: rpc, namespace: infra, uid: rpc}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - backendRefs: [{name: tls, port: 443}]
        """, GrpcRouteResource.class);
    grpcRoutes.add(g);
    policy("rpc", "2024-01-01T00:00:00Z", "tls", null, """
        caCertificateRefs: [{group: "", kind: ConfigMap, name: ca}]
        hostname: rpc.example.com
        """);

    GatewayPlan plan = plan();

    Backend b = backend(plan, GrpcRouteTranslator.BACKEND_PREFIX + "tls-svc-tls-443");
    assertThat(b.protocol()).isEqualTo(BackendProtocol.H2);
    assertThat(b.tls().serverName()).isEqualTo("rpc.example.com");
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void theStatusKeepsOtherGatewaysEntriesAndForgetsThisOnesWhenNoLongerUsed() {
    BackendTlsPolicies.Verdict ok = new BackendTlsPolicies.Verdict(true, "Accepted", "accepted", true,
        "ResolvedRefs", "resolved");
    ParentRef other = new ParentRef(GatewayApi.GROUP, GatewayApi.GATEWAY, "infra", "other", null, null);
    BackendTlsPolicyResource.Status before = new BackendTlsPolicyResource.Status(List.of(
        new BackendTlsPolicyResource.Ancestor(other, GatewayApi.CONTROLLER_NAME, List.of())));
    Instant now = Instant.parse("2025-01-01T00:00:00Z");

    BackendTlsPolicyResource.Status told = PolicyStatuses.merge(before, "infra", "gw", ok, 3, now);

    assertThat(told.ancestors()).hasSize(2);
    BackendTlsPolicyResource.Ancestor ours = told.ancestors().get(1);
    assertThat(ours.ancestorRef().name()).isEqualTo("gw");
    assertThat(ours.ancestorRef().namespace()).isEqualTo("infra");
    assertThat(ours.controllerName()).isEqualTo(GatewayApi.CONTROLLER_NAME);
    assertThat(ours.conditions()).extracting(c -> c.type() + "=" + c.status() + ":" + c.reason() + "@"
        + c.observedGeneration()).containsExactly("Accepted=True:Accepted@3", "ResolvedRefs=True:ResolvedRefs@3");
    assertThat(PolicyStatuses.merge(told, "infra", "gw", null, 3, now).ancestors()).extracting(
        a -> a.ancestorRef().name()).containsExactly("other");
  }

  private GatewayPlan plan() {
    refs.put("infra", new ClusterRefs(services, Map.of(), Map.of(), configMaps));
    java.util.function.Function<String, ClusterRefs> refsIn = ns -> refs.getOrDefault(ns, ClusterRefs.NONE);
    return GatewayTranslator.translate(new GatewayInputs(GatewayTranslatorTest.gateway("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: infra, generation: 1}
        spec:
          gatewayClassName: gantry
          listeners:
          - {name: http, port: 80, protocol: HTTP}
          - {name: pass, port: 9443, protocol: TLS, tls: {mode: Passthrough}}
        """), routes, tlsRoutes, List.of(), grpcRoutes, Map.of(), List.of(), refsIn,
        new BackendTlsPolicies(policies, refsIn)));
  }

  private HttpRouteResource route(String rules) {
    String name = "r" + routes.size();
    HttpRouteResource r = Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: infra, uid: %s}
        spec:
          parentRefs: [{name: gw}]
        """.formatted(name, name) + rules.indent(2), HttpRouteResource.class);
    routes.add(r);
    return r;
  }

  private BackendTlsPolicyResource policy(String name, String created, String service, String section,
      String validation) {
    BackendTlsPolicyResource p = Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: BackendTLSPolicy
        metadata: {name: %s, namespace: infra, uid: %s, generation: 1, creationTimestamp: "%s"}
        spec:
          targetRefs: [{group: "", kind: Service, name: %s%s}]
          validation:
        """.formatted(name, name, created, service, section == null ? "" : ", sectionName: " + section)
        + validation.indent(4), BackendTlsPolicyResource.class);
    policies.add(p);
    return p;
  }

  static Backend backend(GatewayPlan plan, String name) {
    return plan.spec().backendsOrEmpty().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
  }

  static Service service(String name, Map<String, Integer> ports) {
    ServiceBuilder b = new ServiceBuilder().withNewMetadata().withName(name).endMetadata();
    var spec = b.withNewSpec();
    ports.forEach((port, number) -> spec.addNewPort().withName(port).withPort(number).withProtocol("TCP").endPort());
    return spec.endSpec().build();
  }

  static ConfigMap configMap(String name, Map<String, String> data) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().withData(data).build();
  }
}
