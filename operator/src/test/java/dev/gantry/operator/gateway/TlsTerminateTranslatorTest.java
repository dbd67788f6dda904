package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Listener;
import dev.gantry.model.Protocol;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.gateway.api.TlsRouteResource;
import dev.gantry.operator.translate.ClusterRefs;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TLS listeners of mode Terminate: the proxy does the handshake with their certificates, TLSRoutes route by SNI. */
class TlsTerminateTranslatorTest {

  private final Map<String, ClusterRefs> refs = Map.of("infra", new ClusterRefs(
      Map.of("db", GatewayTranslatorTest.service("db", 5432)), Map.of(), Map.of("cert",
      GatewayTranslatorTest.tlsSecret())));

  static TlsRouteResource tlsRoute(String name, String spec) {
    return Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: TLSRoute
        metadata: {name: %s, namespace: infra, uid: %s}
        spec:
        """.formatted(name, name) + spec.indent(2), TlsRouteResource.class);
  }

  GatewayPlan plan(String listeners, TlsRouteResource... routes) {
    GatewayResource gw = GatewayTranslatorTest.gateway("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: infra}
        spec:
          gatewayClassName: gantry
          listeners:
        """ + listeners.indent(2));
    return GatewayTranslator.translate(new GatewayInputs(gw, List.of(), List.of(routes), Map.of(), List.of(),
        ns -> refs.getOrDefault(ns, ClusterRefs.NONE)));
  }

  @Test
  void aTerminatingListenerServesItsCertificatesAndItsRoutesBySni() {
    TlsRouteResource db = tlsRoute("db", """
        parentRefs: [{name: gw}]
        hostnames: [db.example.com]
        rules: [{backendRefs: [{name: db, port: 5432}]}]
        """);
    GatewayPlan plan = plan("""
        - name: term
          port: 8443
          protocol: TLS
          hostname: "*.example.com"
          tls: {mode: Terminate, certificateRefs: [{name: cert}]}
        """, db);

    CheckedListener term = plan.listeners().get(0);
    assertThat(term.acceptedReason()).isEqualTo("Accepted");
    assertThat(term.refsReason()).isEqualTo("ResolvedRefs");
    assertThat(term.supportedKinds()).extracting(GatewayResource.RouteGroupKind::kind).containsExactly("TLSRoute");
    Listener served = plan.spec().listenersOrEmpty().get(0);
    assertThat(served.protocol()).isEqualTo(Protocol.TLS);
    assertThat(served.tls().certificatesOrEmpty()).extracting(c -> c.secretName()).containsExactly("cert");
    assertThat(served.tls().alpn()).isNull();
    assertThat(GatewayTranslatorTest.modelRoute(plan, "tlsroute-infra-db").hosts()).containsExactly("db.example.com");
    assertThat(GatewayTranslatorTest.only(plan, db).acceptedReason()).isEqualTo("Accepted");
    assertThat(plan.attachedRoutes()).containsEntry("term", 1);
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void theModeDefaultsToTerminateWhichNeedsCertificates() {
    GatewayPlan plan = plan("""
        - {name: bare, port: 8443, protocol: TLS}
        - {name: missing, port: 9443, protocol: TLS, tls: {certificateRefs: [{name: nothing}]}}
        """);

    assertThat(plan.listeners()).extracting(CheckedListener::refsReason)
        .containsExactly("InvalidCertificateRef", "InvalidCertificateRef");
    assertThat(plan.listeners().get(0).refsMessage())
        .isEqualTo("a TLS listener of mode Terminate needs tls.certificateRefs");
    // nothing to serve (never a pass-through instead): no LoadBalancer
    assertThat(plan.spec()).isNull();
  }

  @Test
  void terminateAndPassthroughOnOnePortConflict() {
    GatewayPlan plan = plan("""
        - name: tls-terminate
          port: 8443
          protocol: TLS
          hostname: terminate.example.com
          tls: {mode: Terminate, certificateRefs: [{name: cert}]}
        - {name: tls-passthrough, port: 8443, protocol: TLS, hostname: passthrough.example.com,
           tls: {mode: Passthrough}}
        - {name: other-port, port: 9443, protocol: TLS, tls: {mode: Passthrough}}
        """);

    assertThat(plan.listeners()).extracting(CheckedListener::conflictReason)
        .containsExactly("ProtocolConflict", "ProtocolConflict", null);
    assertThat(plan.listeners()).extracting(CheckedListener::acceptedReason)
        .containsExactly("ProtocolConflict", "ProtocolConflict", "Accepted");
    assertThat(plan.listeners().get(0).supportedKinds()).isEmpty();
    assertThat(plan.spec().listenersOrEmpty()).extracting(l -> l.port() + ":" + (l.tls() == null))
        .containsExactly("9443:true");
  }
}
