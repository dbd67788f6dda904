package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.ClientCertificateMode;
import dev.gantry.model.ClientCertificates;
import dev.gantry.model.Condition;
import dev.gantry.model.Listener;
import dev.gantry.model.ObjectKeyRef;
import dev.gantry.model.ReferenceKind;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.translate.ClusterRefs;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A Gateway's {@code spec.tls.frontend}: client certificate validation on its HTTPS ports, and its status. */
class FrontendValidationsTest {

  private final Map<String, ClusterRefs> refs = Map.of(
      "infra", new ClusterRefs(Map.of(), Map.of(), Map.of("cert", GatewayTranslatorTest.tlsSecret()), Map.of(
          "ca", BackendTlsPolicyTest.configMap("ca", Map.of("ca.crt", BackendTlsPolicyTest.CA_PEM)),
          "per-port", BackendTlsPolicyTest.configMap("per-port", Map.of("ca.crt", BackendTlsPolicyTest.CA_PEM)))),
      "web", new ClusterRefs(Map.of(), Map.of(), Map.of(), Map.of(
          "web-ca", BackendTlsPolicyTest.configMap("web-ca", Map.of("ca.crt", BackendTlsPolicyTest.CA_PEM)))));

  private static final String LISTENERS = """
      listeners:
      - {name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: cert}]}}
      - name: second
        port: 8443
        protocol: HTTPS
        hostname: second.example.org
        tls: {certificateRefs: [{name: cert}]}
      - {name: http, port: 80, protocol: HTTP}
      """;

  @Test
  void theDefaultAndEachPortsValidationBecomeItsHttpsListenersClientCertificates() {
    GatewayResource gw = gateway("""
        frontend:
          default:
            validation:
              caCertificateRefs: [{kind: ConfigMap, group: "", name: ca}]
          perPort:
          - port: 8443
            tls:
              validation:
                caCertificateRefs: [{kind: ConfigMap, group: "", name: per-port}]
          - port: 80
            tls:
              validation:
                caCertificateRefs: [{kind: ConfigMap, group: "", name: nowhere}]
        """);
    GatewayPlan plan = plan(gw);

    assertThat(listener(plan, 443).tls().clientCertificates()).isEqualTo(new ClientCertificates(
        ClientCertificateMode.Require, null, null, null, null,
        List.of(new ObjectKeyRef(ReferenceKind.ConfigMap, "ca", null)), null));
    assertThat(listener(plan, 8443).tls().clientCertificates().caCertificateRefs())
        .containsExactly(new ObjectKeyRef(ReferenceKind.ConfigMap, "per-port", null));
    assertThat(listener(plan, 80).tls()).isNull();
    assertThat(plan.listeners()).allSatisfy(l -> {
      assertThat(l.accepted()).as(l.name()).isTrue();
      assertThat(l.refsResolved()).as(l.name()).isTrue();
    });
    assertThat(condition(gw, plan, "InsecureFrontendValidationMode")).isNull();
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void allowInsecureFallbackServesEveryClientAndTheGatewaySaysSo() {
    GatewayResource gw = gateway("""
        frontend:
          default:
            validation:
              mode: AllowInsecureFallback
              caCertificateRefs: [{kind: ConfigMap, group: "", name: ca}]
        """);
    GatewayPlan plan = plan(gw);

    assertThat(listener(plan, 443).tls().clientCertificates().mode())
        .isEqualTo(ClientCertificateMode.InsecureFallback);
    assertThat(listener(plan, 8443).tls().clientCertificates().mode())
        .isEqualTo(ClientCertificateMode.InsecureFallback);
    Condition insecure = condition(gw, plan, "InsecureFrontendValidationMode");
    assertThat(insecure.status()).isEqualTo("True");
    assertThat(insecure.reason()).isEqualTo("ConfigurationChanged");
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void aPortWithNoUsableCaIsNotServedAndItsListenersSayWhy() {
    GatewayResource gw = gateway("""
        frontend:
          default:
            validation:
              caCertificateRefs: [{kind: ConfigMap, name: does-not-exist}]
          perPort:
          - port: 8443
            tls:
              validation:
                caCertificateRefs: [{kind: Service, group: "", name: infra-backend-v2}]
        """);
    GatewayPlan plan = plan(gw);

    CheckedListener https = checked(plan, "https");
    assertThat(https.accepted()).isFalse();
    assertThat(https.acceptedReason()).isEqualTo("NoValidCACertificate");
    assertThat(https.refsReason()).isEqualTo("InvalidCACertificateRef");
    assertThat(https.refsMessage()).contains("ConfigMap \"does-not-exist\" not found");
    assertThat(checked(plan, "second").refsReason()).isEqualTo("InvalidCACertificateKind");
    assertThat(checked(plan, "second").acceptedReason()).isEqualTo("NoValidCACertificate");
    assertThat(checked(plan, "http").accepted()).isTrue();
    assertThat(checked(plan, "http").refsResolved()).isTrue();
    // never served without the client certificates asked for
    assertThat(plan.spec().listenersOrEmpty()).extracting(Listener::port).containsExactly(80);
  }

  @Test
  void aCaOfAnotherNamespaceNeedsAGrantAndAPartlyUsableValidationKeepsOnlyWhatIsUsable() {
    GatewayResource gw = gateway("""
        frontend:
          default:
            validation:
              caCertificateRefs: [{kind: ConfigMap, name: ca}, {kind: ConfigMap, name: gone}]
          perPort:
          - port: 8443
            tls:
              validation:
                caCertificateRefs: [{kind: ConfigMap, name: web-ca, namespace: web}]
        """);
    GatewayPlan plan = plan(gw);

    assertThat(checked(plan, "second").refsReason()).isEqualTo("RefNotPermitted");
    assertThat(checked(plan, "second").acceptedReason()).isEqualTo("NoValidCACertificate");
    CheckedListener https = checked(plan, "https");
    assertThat(https.accepted()).isTrue();
    assertThat(https.refsReason()).isEqualTo("InvalidCACertificateRef");
    assertThat(listener(plan, 443).tls().clientCertificates().caCertificateRefs())
        .containsExactly(new ObjectKeyRef(ReferenceKind.ConfigMap, "ca", null));
  }

  private GatewayPlan plan(GatewayResource gw) {
    Function<String, ClusterRefs> refsIn = ns -> refs.getOrDefault(ns, ClusterRefs.NONE);
    return GatewayTranslator.translate(new GatewayInputs(gw, List.of(), List.of(), List.of(), List.of(), Map.of(),
        List.of(), refsIn));
  }

  private static GatewayResource gateway(String tls) {
    return GatewayTranslatorTest.gateway("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: infra, generation: 1}
        spec:
          gatewayClassName: gantry
        """ + LISTENERS.indent(2) + "  tls:\n" + tls.indent(4));
  }

  private static Listener listener(GatewayPlan plan, int port) {
    return plan.spec().listenersOrEmpty().stream().filter(l -> l.port() == port).findFirst().orElseThrow();
  }

  private static CheckedListener checked(GatewayPlan plan, String name) {
    return plan.listeners().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
  }

  private static Condition condition(GatewayResource gw, GatewayPlan plan, String type) {
    return GatewayStatuses.of(gw, plan, false, List.of(), Instant.EPOCH).conditions().stream()
        .filter(c -> c.type().equals(type)).findFirst().orElse(null);
  }
}
