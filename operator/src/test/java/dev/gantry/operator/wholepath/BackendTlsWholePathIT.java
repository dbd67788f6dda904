package dev.gantry.operator.wholepath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.ControlPlaneExtension;
import dev.gantry.operator.testing.GantryRelease;
import dev.gantry.proxy.GantryProxy;
import dev.gantry.proxy.ProxyOptions;
import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.cluster.ClusterConfigSource;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.TestCertificates;
import dev.gantry.proxy.testing.TestCertificates.KeyFormat;
import dev.gantry.proxy.testing.TestCertificates.KeyType;
import dev.gantry.proxy.testing.TlsHttpBackend;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.net.InetSocketAddress;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Zero trust both ways, from a LoadBalancer in the cluster to traffic: the operator resolves a backend's CA
 * bundle (a ConfigMap) and its client certificate (a Secret), and a listener's client certificate CA (a
 * Secret), into the fleet's model and bundle; a
 * proxy in cluster mode reads them and re-encrypts to a real HTTPS backend on 127.0.0.1 that requires a client
 * certificate, and requires one of its own clients. A CA rotated in its ConfigMap reaches the proxy.
 */
@ExtendWith(ControlPlaneExtension.class)
class BackendTlsWholePathIT {

  static final TestCertificates.Authority BACKEND_CA = TestCertificates.authority("Backend CA");
  static final TestCertificates.Authority OTHER_CA = TestCertificates.authority("Other CA");
  static final TestCertificates.Authority PROXY_CLIENT_CA = TestCertificates.authority("Proxy client CA");
  static final TestCertificates.Authority USERS_CA = TestCertificates.authority("Users CA");
  static final TestCertificates.Authority SHOP_CA = TestCertificates.authority("Shop CA");

  Cluster cluster;
  GantryOperator operator;
  GantryProxy proxy;
  ClusterConfigSource source;
  TlsHttpBackend backend;
  int http;
  int https;

  @BeforeEach
  void start(GantryRelease gantry) throws Exception {
    cluster = Cluster.inNewNamespace(gantry.controlPlane(), "backend-tls");
    operator = gantry.startOperator(Set.of(cluster.namespace()), Ports.free());
    backend = new TlsHttpBackend("secure", BACKEND_CA.issue("backend.internal", KeyType.EC, "backend.internal"),
        PROXY_CLIENT_CA, false);
    http = Ports.free();
    https = Ports.free();
    proxy = GantryProxy.start(new ProxyOptions("127.0.0.1", "127.0.0.1", Ports.free(), 1, "auto"),
        AccessLog.disabled());
    source = new ClusterConfigSource(cluster.client(), cluster.namespace(), "secure", "gantry-secure-model",
        "gantry-secure-tls", proxy).start();
  }

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (operator != null) {
      operator.close();
    }
    backend.close();
    cluster.client().namespaces().withName(cluster.namespace()).delete();
  }

  void caConfigMap(TestCertificates.Authority ca) {
    cluster.client().resource(new ConfigMapBuilder().withNewMetadata().withName("backend-ca")
        .withNamespace(cluster.namespace()).endMetadata().withData(Map.of("ca.crt", ca.certificatePem())).build())
        .createOr(r -> r.update());
  }

  void clusterObjects() {
    TestCertificates.Issued proxyClient = PROXY_CLIENT_CA.issueClient("gantry-proxy", "spiffe://shop/gantry");
    cluster.tlsSecret("gantry-client", proxyClient.chainPem(), proxyClient.keyPem(KeyFormat.PKCS8));
    TestCertificates.Issued shop = SHOP_CA.issue("shop.example.com", KeyType.EC, "shop.example.com");
    cluster.tlsSecret("shop-tls", shop.chainPem(), shop.keyPem(KeyFormat.PKCS8));
    cluster.client().resource(new SecretBuilder().withNewMetadata().withName("users-ca")
        .withNamespace(cluster.namespace()).endMetadata().withData(Map.of("ca.crt", Base64.getEncoder()
            .encodeToString(USERS_CA.certificatePem().getBytes(StandardCharsets.US_ASCII)))).build())
        .createOr(r -> r.update());
  }

  String loadBalancer() {
    return """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: secure}
        spec:
          listeners:
          - {name: http, port: %d, protocol: HTTP, defaultBackend: secure}
          - name: https
            port: %d
            protocol: HTTPS
            defaultBackend: secure
            tls:
              certificates: [{secretName: shop-tls}]
              clientCertificates:
                mode: Require
                caCertificateRefs: [{kind: Secret, name: users-ca}]
          backends:
          - name: secure
            endpoints: [%s]
            protocol: TLS
            tls:
              caCertificateRefs: [{kind: ConfigMap, name: backend-ca}]
              clientCertificateRef: {name: gantry-client}
              serverName: backend.internal
          deployment: {replicas: 0}
          service: {type: ClusterIP}
        """.formatted(http, https, backend.endpoint());
  }

  static HttpResponse<String> get(HttpClient client, String url) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpClient client(SSLContext tls) {
    return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
  }

  @Test
  void reEncryptsToAVerifiedBackendWithAClientCertificateAndRequiresOneFromClients() throws Exception {
    caConfigMap(OTHER_CA);
    clusterObjects();
    cluster.apply(loadBalancer());
    HttpClient plain = client(TestCertificates.trustAll());

    // the CA in the ConfigMap does not issue the backend's certificate: the proxy refuses the backend
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> get(plain, "http://127.0.0.1:" + http + "/").statusCode() == 502);
    assertThat(backend.requests()).isZero();

    // the right CA, rotated into the ConfigMap, reaches the proxy through the bundle
    caConfigMap(BACKEND_CA);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> get(plain, "http://127.0.0.1:" + http + "/").statusCode() == 200);
    assertThat(get(plain, "http://127.0.0.1:" + http + "/").body())
        .isEqualTo("secure sni=backend.internal client=gantry-proxy");

    // the HTTPS listener requires a client certificate issued by the CA in the users-ca Secret
    TestCertificates.Issued user = USERS_CA.issueClient("alice", "spiffe://shop/alice");
    assertThat(httpsGet(TestCertificates.clientContextWith(user), https))
        .startsWith("HTTP/1.1 200 OK").endsWith("secure sni=backend.internal client=gantry-proxy");
    TestCertificates.Issued stranger = OTHER_CA.issueClient("mallory", "spiffe://elsewhere/mallory");
    assertThatThrownBy(() -> httpsGet(TestCertificates.clientContextWith(stranger), https))
        .isInstanceOf(SSLException.class);
    assertThatThrownBy(() -> httpsGet(TestCertificates.trustAll(), https)).isInstanceOf(SSLException.class);
  }

  /** One GET over TLS to the HTTPS listener, as {@code shop.example.com}: the whole response as text. */
  static String httpsGet(SSLContext tls, int port) throws IOException {
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(15_000);
      SSLParameters p = socket.getSSLParameters();
      p.setServerNames(List.of(new SNIHostName("shop.example.com")));
      socket.setSSLParameters(p);
      socket.startHandshake();
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      if (response.isEmpty()) {
        throw new SSLException("the connection closed without a response");
      }
      return response;
    }
  }
}
