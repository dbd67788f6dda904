package dev.gantry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Release;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Callable;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole path on a real cluster: the chart installed into k3s with the images the build made, a
 * LoadBalancer applied with HTTP, HTTPS and TCP listeners in front of real backend pods, then traffic
 * through the fleet's NodePort Service, its status, and a route changed under traffic.
 */
@RequiresDockerAndImages
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesEndToEndIT {

  static final String NAMESPACE = "shop";
  static final String FLEET = "gantry-shop";
  static final String HOST = "shop.example.test";
  static final Duration READY = Duration.ofMinutes(4);

  static final ObjectMapper JSON = new ObjectMapper();

  static Cluster cluster;
  static Pki pki;
  static Release release;
  static int httpPort;

  @BeforeAll
  static void installGantryAndALoadBalancer() throws Exception {
    Images images = Images.fromBuild();
    cluster = Cluster.start(images);
    try {
      release = cluster.installChart(Path.of(System.getProperty("gantry.e2e.chart")));
    } catch (RuntimeException e) {
      throw new AssertionError("helm install failed: " + e.getMessage() + cluster.describe(), e);
    }

    cluster.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
        .build()).create();
    cluster.apply(NAMESPACE, backend("alpha", images) + "---\n" + backend("beta", images));
    pki = Pki.selfSigned(HOST);
    cluster.client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
        .withNewMetadata().withName("shop-tls").endMetadata()
        .withType("kubernetes.io/tls")
        .addToStringData("tls.crt", pki.certificatePem())
        .addToStringData("tls.key", pki.privateKeyPem())
        .build()).create();
    cluster.apply(NAMESPACE, loadBalancer(""));
    awaitReady(1);
    httpPort = cluster.nodePort(NAMESPACE, FLEET, "http");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void theChartInstallsARunningOperator() {
    assertThat(release.getStatus()).isEqualTo("deployed");
    var operator = cluster.client.apps().deployments().inNamespace(Cluster.SYSTEM_NAMESPACE).withName(Cluster.RELEASE)
        .get();
    assertThat(operator.getStatus().getReadyReplicas()).isEqualTo(1);
    assertThat(cluster.client.apiextensions().v1().customResourceDefinitions().withName("loadbalancers.gantry.dev")
        .get()).isNotNull();
  }

  @Test
  @Order(2)
  void statusReportsConditionsAndTheAddress() {
    JsonNode status = loadBalancer().path("status");
    String clusterIp = cluster.client.services().inNamespace(NAMESPACE).withName(FLEET).get().getSpec().getClusterIP();

    for (String type : List.of("Accepted", "Programmed", "Ready")) {
      assertThat(condition(status, type).path("status").asText()).as(type + ": " + condition(status, type))
          .isEqualTo("True");
    }
    assertThat(status.path("observedGeneration").asLong()).isEqualTo(1);
    // NodePort: the address is the fleet Service's cluster IP
    assertThat(status.at("/addresses/0/type").asText()).isEqualTo("IPAddress");
    assertThat(status.at("/addresses/0/value").asText()).isEqualTo(clusterIp);
    assertThat(status.path("readyReplicas").asInt()).isEqualTo(1);
    assertThat(byName(status.path("listeners"), "http").path("attachedRoutes").asInt()).isEqualTo(1);
    assertThat(byName(status.path("backends"), "beta").path("endpoints").asInt()).isEqualTo(1);
    assertThat(byName(status.path("backends"), "alpha").path("healthyEndpoints").asInt()).isEqualTo(1);
  }

  @Test
  @Order(3)
  void routesHttpByPath() throws Exception {
    assertThat(get("/")).isEqualTo("alpha /\n");
    assertThat(get("/beta/cart?id=1")).isEqualTo("beta /beta/cart\n");
    assertThat(get("/betamax")).as("prefixes match whole segments").isEqualTo("alpha /betamax\n");
  }

  @Test
  @Order(4)
  void passesTcpThrough() throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(cluster.host(), cluster.nodePort(NAMESPACE, FLEET, "echo")), 5_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("hello through gantry\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("hello through gantry");
    }
  }

  @Test
  @Order(5)
  void terminatesTlsWithTheSecretsCertificate() throws Exception {
    int port = cluster.nodePort(NAMESPACE, FLEET, "https");
    try (SSLSocket socket = (SSLSocket) pki.trustingOnlyThis().getSocketFactory().createSocket()) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(HOST)));
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      socket.connect(new InetSocketAddress(cluster.host(), port), 5_000);
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      Certificate[] served = socket.getSession().getPeerCertificates();
      assertThat(served[0]).isEqualTo(pki.certificate());

      socket.getOutputStream().write(("GET /beta/secure HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 200").endsWith("beta /beta/secure\n");
    }
  }

  @Test
  @Order(6)
  void aRouteChangedUnderTrafficLosesNoRequest() throws Exception {
    assertThat(get("/shop/cart")).isEqualTo("alpha /shop/cart\n");
    var failures = new ConcurrentLinkedQueue<String>();
    var fromBeta = new AtomicInteger();
    var sent = new AtomicInteger();
    var stop = new AtomicBoolean();
    Thread traffic = new Thread(() -> {
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (!stop.get() && System.nanoTime() < deadline) {
        sent.incrementAndGet();
        try {
          HttpResponse<String> response = send("/shop/cart");
          if (response.statusCode() != 200) {
            failures.add(response.statusCode() + " " + response.body());
          } else if (response.body().equals("beta /shop/cart\n")) {
            fromBeta.incrementAndGet();
          } else if (!response.body().equals("alpha /shop/cart\n")) {
            failures.add("unexpected body " + response.body());
          }
        } catch (Exception e) {
          failures.add(e.toString());
        }
      }
    }, "e2e-traffic");
    traffic.start();
    try {
      await("traffic flows before the change", () -> sent.get() > 20);
      // the same resource, one route more: everything under /shop now goes to beta
      cluster.apply(NAMESPACE, loadBalancer(
          "  - {name: shop, listeners: [http], paths: [{type: Prefix, value: /shop}], backends: [{name: beta}]}\n"));
      await("the new route serves traffic", () -> fromBeta.get() > 20);
      awaitReady(2);
    } finally {
      stop.set(true);
      traffic.join(30_000);
    }
    assertThat(failures).as("failed requests out of %d", sent.get()).isEmpty();
    assertThat(get("/shop/cart")).isEqualTo("beta /shop/cart\n");
  }

  // --- the resources

  static String backend(String name, Images images) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s}
        spec:
          replicas: 1
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
              securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
              containers:
              - name: backend
                image: %2$s
                imagePullPolicy: Never
                env: [{name: BACKEND_NAME, value: %1$s}]
                ports: [{containerPort: 8080}, {containerPort: 9000}]
                readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 2}
                securityContext:
                  allowPrivilegeEscalation: false
                  readOnlyRootFilesystem: true
                  capabilities: {drop: [ALL]}
                volumeMounts: [{name: tmp, mountPath: /tmp}]
              volumes: [{name: tmp, emptyDir: {}}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: %1$s}
        spec:
          selector: {app: %1$s}
          ports:
          - {name: http, port: 80, targetPort: 8080}
          - {name: echo, port: 9000, targetPort: 9000}
        """.formatted(name, images.backendImage());
  }

  /** The load balancer under test; {@code moreRoutes}, lines of YAML, are appended to its routes. */
  static String loadBalancer(String moreRoutes) {
    return """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: shop}
        spec:
          timeouts: {connect: 2s}
          listeners:
          - {name: http, port: 8080, protocol: HTTP, defaultBackend: alpha}
          - name: https
            port: 8443
            protocol: HTTPS
            defaultBackend: alpha
            tls:
              certificates: [{secretName: shop-tls}]
          - {name: echo, port: 9000, protocol: TCP, defaultBackend: echo}
          routes:
          - name: beta
            listeners: [http, https]
            paths: [{type: Prefix, value: /beta}]
            backends: [{name: beta}]
        %s  backends:
          - {name: alpha, service: {name: alpha, port: http}}
          - {name: beta, service: {name: beta, port: http}}
          - {name: echo, service: {name: alpha, port: echo}}
          deployment: {replicas: 1}
          service: {type: NodePort}
        """.formatted(moreRoutes);
  }

  // --- helpers

  static JsonNode loadBalancer() {
    GenericKubernetesResource lb = cluster.client.genericKubernetesResources("gantry.dev/v1alpha1", "LoadBalancer")
        .inNamespace(NAMESPACE).withName("shop").get();
    return lb == null ? JSON.createObjectNode() : JSON.valueToTree(lb);
  }

  static void awaitReady(long generation) {
    await("LoadBalancer shop Ready at generation " + generation, () -> {
      JsonNode status = loadBalancer().path("status");
      return status.path("observedGeneration").asLong() == generation
          && "True".equals(condition(status, "Ready").path("status").asText());
    });
  }

  static JsonNode condition(JsonNode status, String type) {
    return byName(status.path("conditions"), "type", type);
  }

  static JsonNode byName(JsonNode list, String name) {
    return byName(list, "name", name);
  }

  static JsonNode byName(JsonNode list, String key, String value) {
    for (JsonNode item : list) {
      if (value.equals(item.path(key).asText())) {
        return item;
      }
    }
    return JSON.createObjectNode();
  }

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static HttpResponse<String> send(String path) throws Exception {
    URI uri = URI.create("http://" + cluster.host() + ":" + httpPort + path);
    return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String get(String path) throws Exception {
    HttpResponse<String> response = send(path);
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    return response.body();
  }

  /** Waits for a condition; on timeout, fails with what the cluster looks like. */
  static void await(String what, Callable<Boolean> condition) {
    try {
      Awaitility.await(what).atMost(READY).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(what + ": not within " + READY + "\n" + loadBalancer().path("status").toPrettyString()
          + cluster.describe(), e);
    }
  }
}
