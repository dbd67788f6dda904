package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Condition;
import dev.gantry.model.SecretRef;
import dev.gantry.operator.gateway.api.BackendTlsPolicyResource;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.gateway.api.ReferenceGrantResource;
import dev.gantry.operator.translate.ClusterRefs;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A Gateway's {@code spec.tls.backend.clientCertificateRef}: presented to its TLS backends, and its ResolvedRefs. */
class GatewayClientCertificateTest {

  private final List<ReferenceGrantResource> grants = new ArrayList<>();
  private final Map<String, ClusterRefs> refs = Map.of(
      "infra", new ClusterRefs(Map.of("tls", BackendTlsPolicyTest.service("tls", Map.of("btls", 443)),
          "plain", BackendTlsPolicyTest.service("plain", Map.of("http", 80))), Map.of(),
          Map.of("client", tlsSecret("client"), "broken", new SecretBuilder().withNewMetadata().withName("broken")
              .endMetadata().addToData("tls.crt", "bm90IGEgY2VydA==").addToData("tls.key", "a2V5").build()),
          Map.of("ca", BackendTlsPolicyTest.configMap("ca", Map.of("ca.crt", BackendTlsPolicyTest.CA_PEM)))),
      "certs", new ClusterRefs(Map.of(), Map.of(), Map.of("shared", tlsSecret("shared"))));

  @Test
  void theGatewaysClientCertificateIsPresentedToItsTlsBackendsOnly() {
    GatewayPlan plan = plan("{group: \"\", kind: Secret, name: client}");

    assertThat(BackendTlsPolicyTest.backend(plan, "tls-svc-tls-443").tls().clientCertificateRef())
        .isEqualTo(new SecretRef("client"));
    assertThat(BackendTlsPolicyTest.backend(plan, "svc-plain-80").tls()).isNull();
    assertThat(plan.backendClientCertificate().resolved()).isTrue();
    assertThat(resolvedRefs(plan)).satisfies(c -> {
      assertThat(c.status()).isEqualTo("True");
      assertThat(c.reason()).isEqualTo("ResolvedRefs");
    });
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void aReferenceThatCannotBeUsedIsInvalidClientCertificateRefOrRefNotPermittedAndTheGatewayStaysAccepted() {
    Map<String, String> cases = Map.of(
        "{group: \"\", kind: Secret, name: nowhere}", "InvalidClientCertificateRef",
        "{group: wrong.group.company.io, kind: Secret, name: client}", "InvalidClientCertificateRef",
        "{group: \"\", kind: WrongKind, name: client}", "InvalidClientCertificateRef",
        "{group: \"\", kind: Secret, name: broken}", "InvalidClientCertificateRef",
        "{group: \"\", kind: Secret, name: shared, namespace: certs}", "RefNotPermitted");
    cases.forEach((ref, reason) -> {
      GatewayPlan plan = plan(ref);
      assertThat(resolvedRefs(plan).status()).as(ref).isEqualTo("False");
      assertThat(resolvedRefs(plan).reason()).as(ref).isEqualTo(reason);
      assertThat(status(plan).conditions().get(0).status()).isEqualTo("True");
      // the backend is still verified, without a client certificate to present
      assertThat(BackendTlsPolicyTest.backend(plan, "tls-svc-tls-443").tls().clientCertificateRef()).isNull();
    });
  }

  @Test
  void aGrantedSecretOfAnotherNamespaceIsPresentedFromTheGatewaysCopy() {
    grants.add(Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: g, namespace: certs}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: infra}]
          to: [{group: "", kind: Secret}]
        """, ReferenceGrantResource.class));

    GatewayPlan plan = plan("{group: \"\", kind: Secret, name: shared, namespace: certs}");

    String copy = ListenerChecks.copyName("gw", "certs", "shared");
    assertThat(BackendTlsPolicyTest.backend(plan, "tls-svc-tls-443").tls().clientCertificateRef())
        .isEqualTo(new SecretRef(copy));
    assertThat(plan.secretCopies()).containsOnlyKeys(copy);
    assertThat(resolvedRefs(plan).status()).isEqualTo("True");
  }

  private GatewayPlan plan(String clientCertificateRef) {
    Function<String, ClusterRefs> refsIn = ns -> refs.getOrDefault(ns, ClusterRefs.NONE);
    HttpRouteResource route = Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r, namespace: infra, uid: r}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - backendRefs: [{name: tls, port: 443}]
          - backendRefs: [{name: plain, port: 80}]
        """, HttpRouteResource.class);
    BackendTlsPolicyResource policy = Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: BackendTLSPolicy
        metadata: {name: p, namespace: infra, uid: p, generation: 1}
        spec:
          targetRefs: [{group: "", kind: Service, name: tls}]
          validation:
            caCertificateRefs: [{group: "", kind: ConfigMap, name: ca}]
            hostname: abc.example.com
        """, BackendTlsPolicyResource.class);
    return GatewayTranslator.translate(new GatewayInputs(gateway(clientCertificateRef), List.of(route), List.of(),
        List.of(), List.of(), Map.of(), grants, refsIn, new BackendTlsPolicies(List.of(policy), refsIn)));
  }

  private static GatewayResource gateway(String clientCertificateRef) {
    return GatewayTranslatorTest.gateway("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: infra, generation: 1}
        spec:
          gatewayClassName: gantry
          listeners:
          - {name: http, port: 80, protocol: HTTP}
          tls:
            backend:
              clientCertificateRef: %s
        """.formatted(clientCertificateRef));
  }

  private static GatewayResource.Status status(GatewayPlan plan) {
    return GatewayStatuses.of(gateway("{name: client}"), plan, false, List.of(), Instant.EPOCH);
  }

  private static Condition resolvedRefs(GatewayPlan plan) {
    return status(plan).conditions().stream().filter(c -> c.type().equals("ResolvedRefs")).findFirst()
        .orElseThrow();
  }

  private static Secret tlsSecret(String name) {
    String pem = dev.gantry.proxy.testing.TestCertificates.authority(name).certificatePem();
    return new SecretBuilder().withNewMetadata().withName(name).endMetadata().withType("kubernetes.io/tls")
        .addToData("tls.crt", Base64.getEncoder().encodeToString(pem.getBytes()))
        .addToData("tls.key", "a2V5").build();
  }
}
