package dev.gantry.operator.translate;

import static dev.gantry.operator.translate.ModelResolverTest.lb;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Backend;
import dev.gantry.model.BackendProtocol;
import dev.gantry.model.ClientCertificates;
import dev.gantry.model.LoadResult;
import dev.gantry.model.ModelCodec;
import dev.gantry.model.ModelLoader;
import dev.gantry.model.ValidationMode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Backend TLS, client certificate CAs and appProtocol through the translation: references in, bundle keys and
 * bundle contents out, a clear finding for what is missing while the rest is served.
 */
class BackendTlsResolutionTest {

  static final String CA_ONE = "-----BEGIN CERTIFICATE-----\nb25l\n-----END CERTIFICATE-----\n";
  static final String CA_TWO = "-----BEGIN CERTIFICATE-----\ndHdv\n-----END CERTIFICATE-----\n";
  static final String KEY = "-----BEGIN PRIVATE KEY-----\na2V5\n-----END PRIVATE KEY-----\n";

  static ConfigMap configMap(String name, String key, String text) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().withData(Map.of(key, text)).build();
  }

  static Secret secret(String name, Map<String, String> text) {
    Map<String, String> data = new HashMap<>();
    text.forEach((k, v) -> data.put(k, b64(v)));
    return new SecretBuilder().withNewMetadata().withName(name).endMetadata().withData(data).build();
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }

  static Service service(String name, int port, String appProtocol) {
    return new ServiceBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withType("ClusterIP")
        .addNewPort().withName("p").withPort(port).withProtocol("TCP").withAppProtocol(appProtocol).endPort()
        .endSpec().build();
  }

  static ClusterRefs cluster(List<Service> services, Map<String, Secret> secrets, Map<String, ConfigMap> maps) {
    Map<String, Service> byName = new HashMap<>();
    Map<String, List<EndpointSlice>> slices = new HashMap<>();
    for (Service s : services) {
      byName.put(s.getMetadata().getName(), s);
      slices.put(s.getMetadata().getName(), List.of(ModelResolverTest.slice(s.getMetadata().getName(), "p",
          s.getSpec().getPorts().get(0).getPort(), "10.0.0.1")));
    }
    return new ClusterRefs(byName, slices, secrets, maps);
  }

  static Backend backend(Resolution r, String name) {
    return r.model().spec().backends().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
  }

  static void passesTheProxysCheck(Resolution r) {
    LoadResult check = ModelLoader.load("model", ModelCodec.toYaml(r.model()), ValidationMode.RESOLVED);
    assertThat(check.diagnostics()).isEmpty();
  }

  static String decoded(Resolution r, String key) {
    return new String(Base64.getDecoder().decode(r.tlsBundle().get(key)), StandardCharsets.US_ASCII);
  }

  static final String TLS_BACKEND = """
      listeners: [{name: http, port: 80, protocol: HTTP, defaultBackend: api}]
      routes: [{name: web, paths: [{value: /web}], backends: [{name: web}]}]
      backends:
      - name: api
        service: {name: api, port: 443}
        protocol: TLS
        tls:
          caCertificateRefs: [{kind: ConfigMap, name: api-ca}, {kind: Secret, name: more-ca, key: extra.pem}]
          clientCertificateRef: {name: gantry-client}
          serverName: api.internal
          verifyServerName: false
          subjectAltNames: ["spiffe://api.internal/api"]
      - name: web
        service: {name: web, port: 80}
      """;

  @Test
  void caBundlesFromConfigMapsAndSecretsAndAClientCertificateGoIntoTheBundle() {
    Resolution r = ModelResolver.resolve(lb(TLS_BACKEND), cluster(List.of(service("api", 443, null),
        service("web", 80, null)), Map.of("more-ca", secret("more-ca", Map.of("extra.pem", CA_TWO)),
        "gantry-client", secret("gantry-client", Map.of("tls.crt", CA_ONE, "tls.key", KEY))),
        Map.of("api-ca", configMap("api-ca", "ca.crt", CA_ONE))));

    assertThat(r.findings()).isEmpty();
    Backend api = backend(r, "api");
    assertThat(api.tls().caFile()).isEqualTo("Backend.api.ca.crt");
    assertThat(api.tls().certificateFile()).isEqualTo("gantry-client.crt");
    assertThat(api.tls().keyFile()).isEqualTo("gantry-client.key");
    assertThat(api.tls().serverName()).isEqualTo("api.internal");
    assertThat(api.tls().verifyServerName()).isFalse();
    assertThat(api.tls().subjectAltNames()).containsExactly("spiffe://api.internal/api");
    assertThat(api.tls().caCertificateRefs()).isNull();
    assertThat(api.tls().clientCertificateRef()).isNull();
    assertThat(api.endpoints()).hasSize(1);
    assertThat(r.tlsBundle()).containsOnlyKeys("Backend.api.ca.crt", "gantry-client.crt", "gantry-client.key");
    assertThat(decoded(r, "Backend.api.ca.crt")).isEqualTo(CA_ONE + CA_TWO);
    assertThat(decoded(r, "gantry-client.key")).isEqualTo(KEY);
    // the key stays in the bundle Secret: the model names it only
    assertThat(ModelCodec.toYaml(r.model())).doesNotContain("PRIVATE KEY").doesNotContain(b64(KEY));
    passesTheProxysCheck(r);
  }

  @Test
  void aMissingCaConfigMapLeavesItsBackendWithoutEndpointsAndSaysSo() {
    Resolution r = ModelResolver.resolve(lb(TLS_BACKEND), cluster(List.of(service("api", 443, null),
        service("web", 80, null)), Map.of("more-ca", secret("more-ca", Map.of("extra.pem", CA_TWO)),
        "gantry-client", secret("gantry-client", Map.of("tls.crt", CA_ONE, "tls.key", KEY))), Map.of()));

    assertThat(r.findings()).extracting(f -> f.reason() + ": " + f.message()).containsExactly(
        "ConfigMapNotFound: backend \"api\": ConfigMap \"api-ca\" not found; its requests get 503 until it is there");
    assertThat(backend(r, "api").endpoints()).isEmpty();
    assertThat(backend(r, "api").tls()).isNull();
    assertThat(backend(r, "web").endpoints()).hasSize(1);
    assertThat(r.model().spec().routes()).hasSize(1);
    assertThat(r.tlsBundle()).isEmpty();
    passesTheProxysCheck(r);
  }

  @Test
  void aMissingKeyOrNonPemTextIsNamed() {
    ClusterRefs wrongKey = cluster(List.of(service("api", 443, null), service("web", 80, null)),
        Map.of("more-ca", secret("more-ca", Map.of("ca.crt", CA_TWO)),
            "gantry-client", secret("gantry-client", Map.of("tls.crt", CA_ONE, "tls.key", KEY))),
        Map.of("api-ca", configMap("api-ca", "ca.crt", CA_ONE)));
    assertThat(ModelResolver.resolve(lb(TLS_BACKEND), wrongKey).findings()).extracting(Finding::toString)
        .containsExactly("backend \"api\": Secret \"more-ca\" key \"extra.pem\" not found; its requests get 503 "
            + "until it is there");
    ClusterRefs notPem = cluster(List.of(service("api", 443, null), service("web", 80, null)),
        Map.of("more-ca", secret("more-ca", Map.of("extra.pem", CA_TWO)),
            "gantry-client", secret("gantry-client", Map.of("tls.crt", CA_ONE, "tls.key", KEY))),
        Map.of("api-ca", configMap("api-ca", "ca.crt", "not a certificate")));
    assertThat(ModelResolver.resolve(lb(TLS_BACKEND), notPem).findings())
        .extracting(f -> f.reason() + ": " + f.message())
        .containsExactly("InvalidConfigMap: backend \"api\": ConfigMap \"api-ca\" key \"ca.crt\" holds no PEM "
            + "certificate (BEGIN CERTIFICATE); its requests get 503 until it is there");
    ClusterRefs noClient = cluster(List.of(service("api", 443, null), service("web", 80, null)),
        Map.of("more-ca", secret("more-ca", Map.of("extra.pem", CA_TWO))),
        Map.of("api-ca", configMap("api-ca", "ca.crt", CA_ONE)));
    assertThat(ModelResolver.resolve(lb(TLS_BACKEND), noClient).findings())
        .extracting(f -> f.reason() + ": " + f.message())
        .containsExactly("SecretNotFound: backend \"api\": clientCertificateRef: Secret \"gantry-client\" not found; "
            + "its requests get 503 until it is there");
  }

  static final String BY_APP_PROTOCOL = """
      listeners:
      - {name: http, port: 80, protocol: HTTP, defaultBackend: plain}
      - {name: db, port: 5432, protocol: TCP, defaultBackend: postgres}
      routes:
      - {name: grpc, paths: [{value: /grpc}], backends: [{name: grpc}]}
      - {name: h2c, paths: [{value: /h2c}], backends: [{name: h2c}]}
      - {name: secure, paths: [{value: /secure}], backends: [{name: secure}]}
      - {name: pinned, paths: [{value: /pinned}], backends: [{name: pinned}], mirrors: [{backend: shadow}]}
      backends:
      - {name: plain, service: {name: plain, port: 80}}
      - {name: grpc, service: {name: grpc, port: 80}}
      - {name: h2c, service: {name: h2c, port: 80}}
      - name: secure
        service: {name: secure, port: 443}
        tls: {caCertificateRefs: [{kind: ConfigMap, name: secure-ca}]}
      - {name: pinned, service: {name: h2c, port: 80}, protocol: HTTP1}
      - {name: shadow, service: {name: h2c, port: 80}}
      - {name: postgres, service: {name: postgres, port: 5432}}
      """;

  @Test
  void aBackendWithoutAProtocolTakesItFromItsServicePortsAppProtocolWhenItServesHttp() {
    Resolution r = ModelResolver.resolve(lb(BY_APP_PROTOCOL), cluster(List.of(service("plain", 80, null),
        service("grpc", 80, "grpc"), service("h2c", 80, "kubernetes.io/h2c"), service("secure", 443, "https"),
        service("postgres", 5432, "https")), Map.of(), Map.of("secure-ca", configMap("secure-ca", "ca.crt", CA_ONE))));

    assertThat(r.findings()).isEmpty();
    assertThat(backend(r, "plain").protocol()).isEqualTo(BackendProtocol.HTTP1);
    assertThat(backend(r, "grpc").protocol()).isEqualTo(BackendProtocol.H2C);
    assertThat(backend(r, "h2c").protocol()).isEqualTo(BackendProtocol.H2C);
    assertThat(backend(r, "secure").protocol()).isEqualTo(BackendProtocol.TLS);
    assertThat(backend(r, "secure").tls().caFile()).isEqualTo("Backend.secure.ca.crt");
    assertThat(backend(r, "pinned").protocol()).as("set on the LoadBalancer: kept").isEqualTo(BackendProtocol.HTTP1);
    assertThat(backend(r, "shadow").protocol()).as("a route's mirror serves HTTP").isEqualTo(BackendProtocol.H2C);
    assertThat(backend(r, "postgres").protocol()).as("TCP passthrough forwards bytes").isNull();
    passesTheProxysCheck(r);
  }

  @Test
  void anAppProtocolAskingForTlsWithoutTlsSettingsOrTlsSettingsWithoutItAreNamed() {
    Resolution r = ModelResolver.resolve(lb(BY_APP_PROTOCOL), cluster(List.of(service("plain", 80, "https"),
        service("grpc", 80, "grpc"), service("h2c", 80, "kubernetes.io/h2c"), service("secure", 443, null),
        service("postgres", 5432, null)), Map.of(), Map.of("secure-ca", configMap("secure-ca", "ca.crt", CA_ONE))));

    assertThat(r.findings()).extracting(Finding::toString).containsExactly(
        "backend \"plain\": its Service port's appProtocol asks for TLS: set tls.caCertificateRefs (or "
            + "tls.insecureSkipVerify: true) to say how the backend's certificate is verified",
        "backend \"secure\": tls needs protocol TLS or H2, set on the backend or given by its Service port's "
            + "appProtocol (https, kubernetes.io/https or kubernetes.io/wss)");
    assertThat(backend(r, "plain").endpoints()).isEmpty();
    assertThat(backend(r, "secure").endpoints()).isEmpty();
    assertThat(backend(r, "grpc").endpoints()).hasSize(1);
    passesTheProxysCheck(r);
  }

  @Test
  void anIngressBackendOfAnotherNamespaceTakesItsProtocolFromAppProtocolToo() {
    // Ingresses of other namespaces are resolved on their own, before the load balancer's backends
    Backend ingress = Backend.ofService("grpc-ingress", new dev.gantry.model.ServiceRef("grpc", "80"));
    EndpointResolver.Resolved r = EndpointResolver.resolve(ingress,
        cluster(List.of(service("grpc", 80, "kubernetes.io/h2c")), Map.of(), Map.of()));
    assertThat(r.backend().protocol()).isEqualTo(BackendProtocol.H2C);
    assertThat(r.backend().endpoints()).hasSize(1);
  }

  static final String MTLS = """
      listeners:
      - name: https
        port: 443
        protocol: HTTPS
        defaultBackend: web
        tls:
          certificates: [{secretName: shop-tls}]
          clientCertificates:
            mode: Require
            depth: 2
            caCertificateRefs: [{kind: Secret, name: client-ca}]
            crlRef: {kind: ConfigMap, name: client-crl, key: revoked.pem}
      - {name: http, port: 80, protocol: HTTP, defaultBackend: web}
      backends: [{name: web, endpoints: [{address: 10.9.9.9, port: 81}]}]
      """;

  @Test
  void aListenersClientCertificateCaAndRevocationListGoIntoTheBundle() {
    String crl = "-----BEGIN X509 CRL-----\nY3Js\n-----END X509 CRL-----\n";
    Resolution r = ModelResolver.resolve(lb(MTLS), new ClusterRefs(Map.of(), Map.of(),
        Map.of("shop-tls", secret("shop-tls", Map.of("tls.crt", CA_ONE, "tls.key", KEY)),
            "client-ca", secret("client-ca", Map.of("ca.crt", CA_TWO))),
        Map.of("client-crl", configMap("client-crl", "revoked.pem", crl))));

    assertThat(r.findings()).isEmpty();
    ClientCertificates c = r.model().spec().listeners().get(0).tls().clientCertificates();
    assertThat(c).isEqualTo(new ClientCertificates(dev.gantry.model.ClientCertificateMode.Require,
        "Listener.https.ca.crt", 2, "Listener.https.ca.crl", null));
    assertThat(decoded(r, "Listener.https.ca.crt")).isEqualTo(CA_TWO);
    assertThat(decoded(r, "Listener.https.ca.crl")).isEqualTo(crl);
    passesTheProxysCheck(r);
  }

  @Test
  void aListenerWhoseClientCertificateCaIsMissingIsNotServedRatherThanServedWithoutIt() {
    Resolution r = ModelResolver.resolve(lb(MTLS), new ClusterRefs(Map.of(), Map.of(),
        Map.of("shop-tls", secret("shop-tls", Map.of("tls.crt", CA_ONE, "tls.key", KEY))), Map.of()));

    assertThat(r.findings()).extracting(f -> f.reason() + ": " + f.message()).containsExactly(
        "SecretNotFound: listener \"https\", clientCertificates: Secret \"client-ca\" not found",
        "SecretNotFound: listener \"https\" is not served: its client certificate CA is not available");
    assertThat(r.model().spec().listeners()).extracting(l -> l.name()).containsExactly("http");
    passesTheProxysCheck(r);
  }
}
