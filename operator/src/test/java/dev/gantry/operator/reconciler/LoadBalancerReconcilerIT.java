package dev.gantry.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.model.BackendStatus;
import dev.gantry.model.Condition;
import dev.gantry.model.ListenerStatus;
import dev.gantry.model.LoadBalancer;
import dev.gantry.model.LoadBalancerStatus;
import dev.gantry.model.ModelCodec;
import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.Pem;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import dev.gantry.operator.testing.ControlPlaneExtension;
import dev.gantry.operator.testing.GantryRelease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reconciler against the real API server, as the chart's ServiceAccount with server-side apply: what it
 * creates, reports and repairs.
 */
@ExtendWith(ControlPlaneExtension.class)
class LoadBalancerReconcilerIT {

  KubernetesClient client;
  Cluster cluster;
  GantryOperator operator;

  static final String SHOP = """
      apiVersion: gantry.dev/v1alpha1
      kind: LoadBalancer
      metadata: {name: shop}
      spec:
        listeners:
        - {name: http, port: 8080, protocol: HTTP, defaultBackend: main}
        routes:
        - name: community
          paths: [{type: Prefix, value: /community}]
          backends: [{name: forum}]
        backends:
        - name: main
          service: {name: main, port: 80}
        - name: forum
          service: {name: forum, port: http}
      """;

  @BeforeEach
  void start(GantryRelease gantry) {
    cluster = Cluster.inNewNamespace(gantry.controlPlane(), "lb");
    client = cluster.client();
    operator = gantry.startOperator(Set.of(cluster.namespace()), 8404);
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
    client.namespaces().withName(cluster.namespace()).delete();
  }

  static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
  }

  void services() {
    cluster.service("main", 80, "web", 8080);
    cluster.endpoints("main", "web", 8080, List.of("10.1.0.1", "10.1.0.2"), List.of("10.1.0.3"));
    cluster.service("forum", 8080, "http", 9000);
    cluster.endpoints("forum", "http", 9000, List.of("10.2.0.1"), List.of());
  }

  LoadBalancer model(String lb) {
    ConfigMap cm = cluster.get(ConfigMap.class, "gantry-" + lb + "-model");
    return ModelCodec.fromJson(toJson(cm.getData().get("loadbalancer.json")));
  }

  static String toJson(String yaml) {
    try {
      return ModelCodec.jsonMapper().writeValueAsString(ModelCodec.yamlMapper().readTree(yaml));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  LoadBalancerStatus status(String name) {
    return cluster.loadBalancer(name).getStatus();
  }

  static Condition condition(LoadBalancerStatus s, String type) {
    return s.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
  }

  void awaitStatus(String lb, Predicate<LoadBalancerStatus> p) {
    eventually().until(() -> status(lb) != null && p.test(status(lb)));
  }

  @Test
  void createsAnOwnedFleetAndReportsItsStatus() {
    services();
    LoadBalancerResource lb = cluster.apply(SHOP);
    awaitStatus("shop", s -> s.observedGeneration() == 1 && condition(s, "Accepted").status().equals("True"));

    LoadBalancer model = model("shop");
    assertThat(model.metadata().generation()).isEqualTo(1);
    assertThat(model.spec().backends()).satisfiesExactly(
        main -> assertThat(main.endpoints()).extracting(e -> e.address() + ":" + e.port())
            .containsExactly("10.1.0.1:8080", "10.1.0.2:8080"),
        forum -> assertThat(forum.endpoints()).extracting(e -> e.address() + ":" + e.port())
            .containsExactly("10.2.0.1:9000"));
    assertThat(model.spec().backends()).allSatisfy(b -> assertThat(b.service()).isNull());

    String uid = lb.getMetadata().getUid();
    List<HasMetadata> owned = List.of(cluster.get(ConfigMap.class, "gantry-shop-model"),
        cluster.get(Secret.class, "gantry-shop-tls"), cluster.get(Deployment.class, "gantry-shop"),
        cluster.get(Service.class, "gantry-shop"), cluster.get(ServiceAccount.class, "gantry-shop"),
        cluster.get(Role.class, "gantry-shop"), cluster.get(RoleBinding.class, "gantry-shop"),
        cluster.get(PodDisruptionBudget.class, "gantry-shop"));
    assertThat(owned).allSatisfy(o -> assertThat(o.getMetadata().getOwnerReferences())
        .singleElement().satisfies(r -> {
          assertThat(r.getUid()).isEqualTo(uid);
          assertThat(r.getKind()).isEqualTo("LoadBalancer");
        }));

    LoadBalancerStatus s = status("shop");
    assertThat(condition(s, "Programmed").status()).isEqualTo("True");
    assertThat(condition(s, "Ready").status()).isEqualTo("False");
    assertThat(condition(s, "Ready").reason()).isEqualTo("Pending");
    assertThat(s.listeners()).containsExactly(new ListenerStatus("http", 1));
    assertThat(s.backends()).containsExactly(new BackendStatus("main", 3, 2), new BackendStatus("forum", 1, 1));
    assertThat(s.conditions()).allSatisfy(c -> assertThat(c.observedGeneration()).isEqualTo(1));
  }

  @Test
  void anUpdateReachesTheModelWithItsGeneration() {
    services();
    cluster.apply(SHOP);
    awaitStatus("shop", s -> s.observedGeneration() == 1);
    cluster.apply(SHOP.replace("value: /community", "value: /forum"));
    eventually().until(() -> model("shop").metadata().generation() == 2);
    assertThat(model("shop").spec().routes().get(0).paths().get(0).value()).isEqualTo("/forum");
    assertThat(cluster.get(ConfigMap.class, "gantry-shop-model").getMetadata().getAnnotations())
        .containsEntry("gantry.dev/generation", "2");
    awaitStatus("shop", s -> s.observedGeneration() == 2
        && condition(s, "Programmed").message().contains("generation 2"));
  }

  @Test
  void aServiceThatAppearsLaterIsPickedUp() {
    cluster.service("main", 80, "web", 8080);
    cluster.endpoints("main", "web", 8080, List.of("10.1.0.1"), List.of());
    cluster.apply(SHOP);
    awaitStatus("shop", s -> condition(s, "Accepted").reason().equals("ServiceNotFound"));
    Condition accepted = condition(status("shop"), "Accepted");
    assertThat(accepted.status()).isEqualTo("False");
    assertThat(accepted.message()).contains("backend \"forum\": Service \"forum\" not found");
    // the rest is served: the forum backend waits with no endpoint
    assertThat(condition(status("shop"), "Programmed").status()).isEqualTo("True");
    assertThat(model("shop").spec().backends().get(1).endpoints()).isEmpty();
    assertThat(model("shop").spec().backends().get(0).endpoints()).hasSize(1);
    eventually().until(() -> client.v1().events().inNamespace(cluster.namespace()).list().getItems().stream()
        .anyMatch(e -> "ServiceNotFound".equals(e.getReason()) && "Warning".equals(e.getType())
            && "shop".equals(e.getInvolvedObject().getName())));

    cluster.service("forum", 8080, "http", 9000);
    cluster.endpoints("forum", "http", 9000, List.of("10.2.0.1"), List.of());
    awaitStatus("shop", s -> condition(s, "Accepted").status().equals("True"));
    eventually().untilAsserted(() -> assertThat(model("shop").spec().backends().get(1).endpoints())
        .extracting(e -> e.address() + ":" + e.port()).containsExactly("10.2.0.1:9000"));
  }

  @Test
  void endpointsThatChangeReachTheModel() {
    services();
    cluster.apply(SHOP);
    awaitStatus("shop", s -> condition(s, "Accepted").status().equals("True"));
    cluster.endpoints("forum", "http", 9000, List.of("10.2.0.7", "10.2.0.8"), List.of("10.2.0.1"));
    eventually().until(() -> model("shop").spec().backends().get(1).endpoints().size() == 2);
    assertThat(model("shop").spec().backends().get(1).endpoints()).extracting(e -> e.address())
        .containsExactly("10.2.0.7", "10.2.0.8");
    awaitStatus("shop", s -> s.backends().get(1).equals(new BackendStatus("forum", 3, 2)));
  }

  static final String TLS = """
      apiVersion: gantry.dev/v1alpha1
      kind: LoadBalancer
      metadata: {name: secure}
      spec:
        listeners:
        - name: https
          port: 8443
          protocol: HTTPS
          defaultBackend: main
          tls:
            certificates: [{secretName: shop-tls}]
        backends:
        - name: main
          endpoints: [{address: 10.9.0.1, port: 80}]
      """;

  @Test
  void aSecretThatRotatesReachesTheBundleAndKeysStayInSecrets() {
    cluster.tlsSecret("shop-tls", Pem.certificate("one"), Pem.key("one"));
    cluster.apply(TLS);
    awaitStatus("secure", s -> condition(s, "Accepted").status().equals("True"));
    Secret bundle = cluster.get(Secret.class, "gantry-secure-tls");
    assertThat(bundle.getData()).containsOnlyKeys("shop-tls.crt", "shop-tls.key");
    assertThat(model("secure").spec().listeners().get(0).tls().certificates()).singleElement()
        .satisfies(c -> {
          assertThat(c.secretName()).isNull();
          assertThat(c.certFile()).isEqualTo("shop-tls.crt");
          assertThat(c.keyFile()).isEqualTo("shop-tls.key");
        });
    String before = bundle.getData().get("shop-tls.key");
    assertThat(cluster.get(ConfigMap.class, "gantry-secure-model").getData().toString())
        .doesNotContain(before).doesNotContain("PRIVATE KEY");

    cluster.tlsSecret("shop-tls", Pem.certificate("two"), Pem.key("two"));
    eventually().until(() -> !cluster.get(Secret.class, "gantry-secure-tls").getData().get("shop-tls.key")
        .equals(before));
  }

  @Test
  void aMissingSecretLeavesItsListenerOutAndSaysSo() {
    cluster.apply(TLS.replace("- name: https", "- {name: http, port: 8080, protocol: HTTP, defaultBackend: main}\n"
        + "  - name: https"));
    awaitStatus("secure", s -> condition(s, "Accepted").reason().equals("SecretNotFound"));
    assertThat(condition(status("secure"), "Accepted").message())
        .contains("listener \"https\": Secret \"shop-tls\" not found")
        .contains("listener \"https\" is not served");
    assertThat(model("secure").spec().listeners()).extracting(l -> l.name()).containsExactly("http");
    assertThat(status("secure").listeners()).containsExactly(new ListenerStatus("http", 0),
        new ListenerStatus("https", 0));
  }

  static final String BACKEND_TLS = """
      apiVersion: gantry.dev/v1alpha1
      kind: LoadBalancer
      metadata: {name: secure}
      spec:
        listeners:
        - {name: http, port: 8080, protocol: HTTP, defaultBackend: main}
        routes:
        - name: api
          paths: [{type: Prefix, value: /api}]
          backends: [{name: api}]
        backends:
        - name: main
          service: {name: main, port: 80}
        - name: api
          endpoints: [{address: 10.9.0.2, port: 443}]
          protocol: TLS
          tls:
            caCertificateRefs: [{kind: ConfigMap, name: api-ca}]
            clientCertificateRef: {name: gantry-client}
            serverName: api.internal
      """;

  void caConfigMap(String name, String pem) {
    client.resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(cluster.namespace())
        .endMetadata().withData(Map.of("ca.crt", pem)).build()).createOr(r -> r.update());
  }

  static String decoded(Secret s, String key) {
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.US_ASCII);
  }

  @Test
  void aBackendCaConfigMapAndClientCertificateSecretReachTheBundleAndFollowTheirRotation() {
    services();
    caConfigMap("api-ca", Pem.certificate("ca-one"));
    cluster.tlsSecret("gantry-client", Pem.certificate("client-one"), Pem.key("client-one"));
    cluster.apply(BACKEND_TLS);
    awaitStatus("secure", s -> condition(s, "Accepted").status().equals("True"));
    assertThat(model("secure").spec().backends().get(1).tls()).satisfies(tls -> {
      assertThat(tls.caFile()).isEqualTo("Backend.api.ca.crt");
      assertThat(tls.certificateFile()).isEqualTo("gantry-client.crt");
      assertThat(tls.keyFile()).isEqualTo("gantry-client.key");
      assertThat(tls.caCertificateRefs()).isNull();
    });
    Secret bundle = cluster.get(Secret.class, "gantry-secure-tls");
    assertThat(bundle.getData()).containsOnlyKeys("Backend.api.ca.crt", "gantry-client.crt", "gantry-client.key");
    assertThat(decoded(bundle, "Backend.api.ca.crt")).isEqualTo(Pem.certificate("ca-one"));
    assertThat(cluster.get(ConfigMap.class, "gantry-secure-model").getData().toString())
        .doesNotContain(bundle.getData().get("gantry-client.key")).doesNotContain("PRIVATE KEY");

    caConfigMap("api-ca", Pem.certificate("ca-two"));
    eventually().until(() -> decoded(cluster.get(Secret.class, "gantry-secure-tls"), "Backend.api.ca.crt")
        .equals(Pem.certificate("ca-two")));
    cluster.tlsSecret("gantry-client", Pem.certificate("client-two"), Pem.key("client-two"));
    eventually().until(() -> decoded(cluster.get(Secret.class, "gantry-secure-tls"), "gantry-client.key")
        .equals(Pem.key("client-two")));
  }

  @Test
  void aMissingCaConfigMapIsNamedWhileTheRestIsServedUntilItAppears() {
    services();
    cluster.tlsSecret("gantry-client", Pem.certificate("client-one"), Pem.key("client-one"));
    cluster.apply(BACKEND_TLS);
    awaitStatus("secure", s -> condition(s, "Accepted").reason().equals("ConfigMapNotFound"));
    assertThat(condition(status("secure"), "Accepted").message())
        .isEqualTo("backend \"api\": ConfigMap \"api-ca\" not found; its requests get 503 until it is there");
    assertThat(condition(status("secure"), "Programmed").status()).isEqualTo("True");
    assertThat(model("secure").spec().backends().get(0).endpoints()).hasSize(2);
    assertThat(model("secure").spec().backends().get(1).endpoints()).isEmpty();
    assertThat(model("secure").spec().routes()).extracting(r -> r.name()).containsExactly("api");
    eventually().until(() -> client.v1().events().inNamespace(cluster.namespace()).list().getItems().stream()
        .anyMatch(e -> "ConfigMapNotFound".equals(e.getReason()) && "secure".equals(e.getInvolvedObject().getName())));
    // another load balancer is not held up
    cluster.apply(SHOP);
    awaitStatus("shop", s -> condition(s, "Accepted").status().equals("True"));

    caConfigMap("api-ca", Pem.certificate("ca-one"));
    awaitStatus("secure", s -> condition(s, "Accepted").status().equals("True"));
    eventually().untilAsserted(() -> assertThat(model("secure").spec().backends().get(1).endpoints()).hasSize(1));
  }

  @Test
  void aServicePortsAppProtocolGivesABackendItsProtocol() {
    for (String[] s : new String[][] {{"grpc", "grpc"}, {"h2c", "kubernetes.io/h2c"}, {"plain", null}}) {
      client.resource(new ServiceBuilder().withNewMetadata().withName(s[0]).withNamespace(cluster.namespace())
          .endMetadata().withNewSpec().withType("ClusterIP").addNewPort().withName("http").withPort(80)
          .withNewTargetPort(8080).withProtocol("TCP").withAppProtocol(s[1]).endPort().endSpec().build())
          .createOr(r -> r.update());
      cluster.endpoints(s[0], "http", 8080, List.of("10.3.0.1"), List.of());
    }
    cluster.apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: protocols}
        spec:
          listeners:
          - {name: http, port: 8080, protocol: HTTP, defaultBackend: plain}
          routes:
          - {name: grpc, paths: [{value: /grpc}], backends: [{name: grpc}]}
          - {name: h2c, paths: [{value: /h2c}], backends: [{name: h2c}, {name: pinned}]}
          backends:
          - {name: plain, service: {name: plain, port: 80}}
          - {name: grpc, service: {name: grpc, port: http}}
          - {name: h2c, service: {name: h2c, port: 80}}
          - {name: pinned, service: {name: h2c, port: 80}, protocol: HTTP1}
        """);
    awaitStatus("protocols", s -> condition(s, "Accepted").status().equals("True"));
    assertThat(model("protocols").spec().backends()).extracting(b -> b.name() + "=" + b.protocol())
        .containsExactly("plain=HTTP1", "grpc=H2C", "h2c=H2C", "pinned=HTTP1");
  }

  @Test
  void anInvalidRouteIsNamedWhileTheRestIsServed() {
    services();
    cluster.apply(SHOP.replace("    backends: [{name: forum}]\n", "    backends: [{name: forum}]\n"
        + "  - name: broken\n    paths: [{type: Prefix, value: /shop}]\n    backends: [{name: nowhere}]\n"));
    awaitStatus("shop", s -> condition(s, "Accepted").reason().equals("Invalid"));
    assertThat(condition(status("shop"), "Accepted").message())
        .isEqualTo("route \"broken\" is not served: backends[0].name: no backend named \"nowhere\"");
    assertThat(condition(status("shop"), "Programmed").status()).isEqualTo("True");
    assertThat(model("shop").spec().routes()).extracting(r -> r.name()).containsExactly("community");
    eventually().until(() -> client.v1().events().inNamespace(cluster.namespace()).list().getItems().stream()
        .map(Event::getMessage).anyMatch(m -> m.contains("route \"broken\" is not served")));
  }

  @Test
  void aDeletedOrEditedOwnedObjectIsPutBack() {
    services();
    cluster.apply(SHOP);
    awaitStatus("shop", s -> condition(s, "Programmed").status().equals("True"));
    String uid = cluster.get(Deployment.class, "gantry-shop").getMetadata().getUid();
    client.resources(Deployment.class).inNamespace(cluster.namespace()).withName("gantry-shop").delete();
    eventually().until(() -> {
      Deployment d = cluster.get(Deployment.class, "gantry-shop");
      return d != null && !d.getMetadata().getUid().equals(uid);
    });

    ConfigMap cm = cluster.get(ConfigMap.class, "gantry-shop-model");
    cm.getData().put("loadbalancer.json", "tampered: true");
    client.resource(cm).update();
    eventually().until(() -> cluster.get(ConfigMap.class, "gantry-shop-model").getData().get("loadbalancer.json")
        .contains("\"kind\" : \"LoadBalancer\""));
  }

  @Test
  void aBrokenLoadBalancerGetsNoFleetAndDoesNotHoldUpAnother() {
    services();
    cluster.apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: broken}
        spec:
          timeouts: {connect: 0s}
          listeners: [{name: http, port: 8080, protocol: HTTP, defaultBackend: main}]
          backends: [{name: main, service: {name: main, port: 80}}]
        """);
    cluster.apply(SHOP);
    awaitStatus("shop", s -> condition(s, "Accepted").status().equals("True"));
    awaitStatus("broken", s -> condition(s, "Programmed").status().equals("False"));
    assertThat(condition(status("broken"), "Accepted").message())
        .contains("spec.timeouts.connect: expected a duration greater than 0");
    assertThat(cluster.get(Deployment.class, "gantry-broken")).isNull();
    assertThat(cluster.get(ConfigMap.class, "gantry-broken-model")).isNull();
  }

  @Test
  void aLoadBalancerBrokenLaterKeepsItsLastGoodModel() {
    services();
    cluster.apply(SHOP);
    awaitStatus("shop", s -> condition(s, "Programmed").status().equals("True"));
    String good = cluster.get(ConfigMap.class, "gantry-shop-model").getData().get("loadbalancer.json");
    cluster.apply(SHOP.replace("spec:", "spec:\n  timeouts: {client: 0s}"));
    awaitStatus("shop", s -> s.observedGeneration() == 2 && condition(s, "Programmed").status().equals("False"));
    assertThat(cluster.get(ConfigMap.class, "gantry-shop-model").getData().get("loadbalancer.json")).isEqualTo(good);
  }
}
