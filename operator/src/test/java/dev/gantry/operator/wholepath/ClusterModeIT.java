package dev.gantry.operator.wholepath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.ControlPlane;
import dev.gantry.operator.testing.ControlPlaneExtension;
import dev.gantry.proxy.GantryProxy;
import dev.gantry.proxy.ProxyOptions;
import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.cluster.ClusterConfigSource;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.TestCertificates;
import dev.gantry.proxy.testing.TestBackend;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The proxy in cluster mode on its own, against the real API server: what it takes from its ConfigMap and
 * Secret, what it refuses, and that it outlives the API server.
 */
@ExtendWith(ControlPlaneExtension.class)
class ClusterModeIT {

  ControlPlane controlPlane;
  Cluster cluster;
  KubernetesClient client;
  GantryProxy proxy;
  ClusterConfigSource source;
  TestBackend blue;
  TestBackend green;
  int port;
  int adminPort;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeEach
  void start(ControlPlane controlPlane) throws Exception {
    this.controlPlane = controlPlane;
    cluster = Cluster.inNewNamespace(controlPlane, "cluster-mode");
    client = cluster.client();
    blue = TestBackend.start("blue");
    green = TestBackend.start("green");
    port = Ports.free();
    adminPort = Ports.free();
    proxy = GantryProxy.start(new ProxyOptions("127.0.0.1", "127.0.0.1", adminPort, 1, "auto"), AccessLog.disabled());
    source = new ClusterConfigSource(client, cluster.namespace(), "live", "live-model", "live-tls", proxy).start();
  }

  @AfterEach
  void stop() {
    source.close();
    proxy.close();
    blue.close();
    green.close();
    client.namespaces().withName(cluster.namespace()).delete();
  }

  String model(long generation, String backend, String extra) {
    return """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: live, namespace: %s, generation: %d}
        spec:
          listeners:
          - {name: http, port: %d, protocol: HTTP, defaultBackend: %s}
        %s
          backends:
          - {name: blue, endpoints: [%s]}
          - {name: green, endpoints: [%s]}
          - {name: empty, endpoints: []}
        """.formatted(cluster.namespace(), generation, port, backend, extra, blue.endpoint(), green.endpoint());
  }

  void configMap(String yaml) {
    client.resource(new ConfigMapBuilder().withNewMetadata().withName("live-model").withNamespace(cluster.namespace())
        .endMetadata().withData(Map.of("loadbalancer.json", yaml)).build()).createOr(r -> r.update());
  }

  void secret(Map<String, String> pem) {
    Map<String, String> data = new java.util.HashMap<>();
    pem.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.US_ASCII))));
    client.resource(new SecretBuilder().withNewMetadata().withName("live-tls").withNamespace(cluster.namespace())
        .endMetadata().withData(data).build()).createOr(r -> r.update());
  }

  String get(int p, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void servesTheModelRefusesABadOneAndOutlivesTheApiServer() throws Exception {
    secret(Map.of());
    configMap(model(1, "blue", ""));
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> get(port, "/").equals("blue"));
    assertThat(get(adminPort, "/served")).contains("{\"id\":\"" + cluster.namespace() + "/live\",\"generation\":1}");

    configMap(model(2, "purple", ""));
    await().atMost(Duration.ofSeconds(10)).until(() -> get(adminPort, "/metrics")
        .contains("gantry_config_reloads_total{result=\"failure\"} 1"));
    assertThat(get(port, "/")).isEqualTo("blue");
    assertThat(get(adminPort, "/served")).contains("\"generation\":1}");

    configMap(model(3, "green", ""));
    await().atMost(Duration.ofSeconds(10)).until(() -> get(port, "/").equals("green"));
    assertThat(get(adminPort, "/served")).contains("{\"id\":\"" + cluster.namespace() + "/live\",\"generation\":3}");

    controlPlane.stopApiServer();
    try {
      Thread.sleep(2000);
      for (int i = 0; i < 20; i++) {
        assertThat(get(port, "/")).isEqualTo("green");
      }
    } finally {
      controlPlane.restartStopped();
    }
    // and when it is back, the next model arrives
    configMap(model(4, "blue", ""));
    await().atMost(Duration.ofSeconds(60)).until(() -> get(port, "/").equals("blue"));
  }

  @Test
  void waitsForTheCertificatesTheModelNamesAndFollowsTheirRotation() throws Exception {
    int https = Ports.free();
    String withTls = model(1, "blue", """
          - name: https
            port: %d
            protocol: HTTPS
            defaultBackend: blue
            tls: {certificates: [{certFile: shop-tls.crt, keyFile: shop-tls.key}]}
        """.formatted(https).stripTrailing());
    secret(Map.of());
    configMap(withTls.replace("\n\n", "\n"));
    Thread.sleep(1500);
    assertThat(proxy.ready()).as("no model is applied while its certificates are missing").isFalse();

    // Real certificates: the proxy builds a TLS context from what the Secret holds.
    TestCertificates.Authority ca = TestCertificates.authority("Test CA");
    TestCertificates.Issued one = ca.issue("shop.example.com", TestCertificates.KeyType.EC, "shop.example.com");
    TestCertificates.Issued two = ca.issue("shop.example.com", TestCertificates.KeyType.EC, "shop.example.com");
    String keyOne = one.keyPem(TestCertificates.KeyFormat.PKCS8);
    String keyTwo = two.keyPem(TestCertificates.KeyFormat.PKCS8);
    secret(Map.of("shop-tls.crt", one.chainPem(), "shop-tls.key", keyOne));
    await().atMost(Duration.ofSeconds(10)).until(proxy::ready);
    assertThat(new String(source.certificates().pem("shop-tls.key").orElseThrow(), StandardCharsets.US_ASCII))
        .isEqualTo(keyOne);
    assertThat(get(port, "/")).isEqualTo("blue");
    assertThat(servedCertificate(https)).isEqualTo(one.certificate());

    secret(Map.of("shop-tls.crt", two.chainPem(), "shop-tls.key", keyTwo));
    await().atMost(Duration.ofSeconds(10)).until(() -> servedCertificate(https).equals(two.certificate()));
  }

  /** The certificate the HTTPS listener on {@code port} presents for {@code shop.example.com}. */
  static java.security.cert.X509Certificate servedCertificate(int port) throws Exception {
    javax.net.ssl.SSLSocketFactory f = TestCertificates.trustAll().getSocketFactory();
    try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) f.createSocket("127.0.0.1", port)) {
      javax.net.ssl.SSLParameters p = socket.getSSLParameters();
      p.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName("shop.example.com")));
      socket.setSSLParameters(p);
      socket.startHandshake();
      return (java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }
}
