package dev.gantry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Release;
import dev.gantry.operator.testing.Traffic;
import dev.gantry.proxy.testing.Ports;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gantry on a real cluster, as a user meets it: the chart installed with its images, a LoadBalancer with
 * HTTP, HTTPS and TCP listeners in front of backend pods, reached through its NodePort Service; an Ingress
 * of the Gantry class; a Service of type LoadBalancer of Gantry's class; and the disruptions of a cluster's
 * life under steady traffic (a fleet's rollout restart, the operator pod deleted, a proxy pod killed), each
 * counting its failed requests.
 */
@ExtendWith(E2eClusters.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GantryOnKubernetesIT {

  static final String NAMESPACE = "shop";
  static final String FLEET = "gantry-shop";
  static final String HOST = "shop.example.test";
  static final Duration READY = Duration.ofMinutes(4);

  E2eCluster cluster;
  KubernetesClient client;
  Pki pki;
  Release release;
  InetSocketAddress http;

  @BeforeAll
  void installGantryAndALoadBalancer(E2eCluster cluster) throws Exception {
    this.cluster = cluster;
    this.client = cluster.client();
    long started = System.nanoTime();
    try {
      release = cluster.installChart(Path.of(System.getProperty("gantry.e2e.chart")));
    } catch (RuntimeException e) {
      throw new AssertionError("helm install failed: " + e.getMessage() + cluster.describe(), e);
    }
    report("helm install to a running operator: " + millis(started) + " ms");

    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
        .build()).create();
    String image = Manifests.backendImage(System.getProperty("gantry.e2e.images.tag", "0.1.0"));
    cluster.apply(NAMESPACE, Manifests.backend("alpha", image) + "---\n" + Manifests.backend("beta", image));
    pki = Pki.selfSigned(HOST);
    client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
        .withNewMetadata().withName("shop-tls").endMetadata()
        .withType("kubernetes.io/tls")
        .addToStringData("tls.crt", pki.certificatePem())
        .addToStringData("tls.key", pki.privateKeyPem())
        .build()).create();
    await("the backends are ready", () -> readyReplicas("alpha") == 1 && readyReplicas("beta") == 1);

    long applied = System.nanoTime();
    cluster.apply(NAMESPACE, Manifests.loadBalancer(""));
    await("the fleet's Service has its NodePorts", () -> client.services().inNamespace(NAMESPACE).withName(FLEET)
        .get() != null);
    http = cluster.nodePort(NAMESPACE, FLEET, "http");
    Traffic probe = traffic(http, HOST);
    await("the first request through the LoadBalancer", () -> probe.probe("/").equals("200 alpha /\n"));
    report("LoadBalancer applied to traffic through its NodePort: " + millis(applied) + " ms");
    awaitReady(1);
  }

  @AfterAll
  void removeTheShop() {
    if (client != null) {
      client.namespaces().withName(NAMESPACE).delete();
    }
  }

  @Test
  @Order(1)
  void theChartInstallsARunningOperatorAsItsServiceAccount() {
    assertThat(release.getStatus()).isEqualTo("deployed");
    Deployment operator = client.apps().deployments().inNamespace(E2eCluster.SYSTEM_NAMESPACE)
        .withName(E2eCluster.RELEASE).get();
    assertThat(operator.getStatus().getReadyReplicas()).isEqualTo(1);
    Pod pod = client.pods().inNamespace(E2eCluster.SYSTEM_NAMESPACE).withLabels(operator.getSpec().getSelector()
        .getMatchLabels()).list().getItems().get(0);
    assertThat(pod.getSpec().getServiceAccountName()).isEqualTo(E2eCluster.RELEASE);
    assertThat(pod.getStatus().getContainerStatuses()).singleElement()
        .satisfies(c -> assertThat(c.getImage()).contains("gantry/operator"));
    assertThat(client.apiextensions().v1().customResourceDefinitions().withName("loadbalancers.gantry.dev")
        .get()).isNotNull();
  }

  @Test
  @Order(2)
  void statusReportsConditionsAndTheAddress() {
    Status status = Status.of(client, NAMESPACE, "shop");
    String clusterIp = client.services().inNamespace(NAMESPACE).withName(FLEET).get().getSpec().getClusterIP();
    for (String type : List.of("Accepted", "Programmed", "Ready")) {
      assertThat(status.condition(type).path("status").asText()).as(type + ": " + status.condition(type))
          .isEqualTo("True");
    }
    assertThat(status.json().path("observedGeneration").asLong()).isEqualTo(1);
    // NodePort: the address is the fleet Service's cluster IP
    assertThat(status.json().at("/addresses/0/type").asText()).isEqualTo("IPAddress");
    assertThat(status.json().at("/addresses/0/value").asText()).isEqualTo(clusterIp);
    assertThat(status.json().path("readyReplicas").asInt()).isEqualTo(2);
    assertThat(status.listener("http").path("attachedRoutes").asInt()).isEqualTo(1);
    assertThat(status.backend("beta").path("endpoints").asInt()).isEqualTo(1);
    assertThat(status.backend("alpha").path("healthyEndpoints").asInt()).isEqualTo(1);
  }

  @Test
  @Order(3)
  void routesHttpByPath() {
    Traffic t = traffic(http, HOST);
    assertThat(t.get("/")).isEqualTo("200 alpha /\n");
    assertThat(t.get("/beta/cart?id=1")).isEqualTo("200 beta /beta/cart\n");
    assertThat(t.get("/betamax")).as("prefixes match whole segments").isEqualTo("200 alpha /betamax\n");
  }

  @Test
  @Order(4)
  void passesTcpThrough() throws Exception {
    assertThat(echo(cluster.nodePort(NAMESPACE, FLEET, "echo"), "hello through gantry"))
        .isEqualTo("hello through gantry");
  }

  @Test
  @Order(5)
  void terminatesTlsWithTheSecretsCertificate() throws Exception {
    InetSocketAddress https = cluster.nodePort(NAMESPACE, FLEET, "https");
    try (SSLSocket socket = (SSLSocket) pki.trustingOnlyThis().getSocketFactory().createSocket()) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(HOST)));
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      socket.connect(https, 5_000);
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
  void aRouteAddedUnderTrafficLosesNoRequest() {
    Traffic t = traffic(http, HOST);
    assertThat(t.get("/shop/cart")).isEqualTo("200 alpha /shop/cart\n");
    t.startLoad("/shop/cart", "200 alpha /shop/cart\n", "200 beta /shop/cart\n");
    try {
      t.awaitRequests(20);
      long changed = System.nanoTime();
      // the same resource, one route more: everything under /shop now goes to beta
      cluster.apply(NAMESPACE, Manifests.loadBalancer(Manifests.SHOP_ROUTE));
      await("the new route serves traffic", () -> t.answered("200 beta /shop/cart\n") > 0);
      report("route added to traffic: " + millis(changed) + " ms");
      await("more traffic on the new route", () -> t.answered("200 beta /shop/cart\n") > 20);
      awaitReady(2);
    } finally {
      t.stopLoad();
    }
    report("route added under traffic: " + t.summary());
    assertThat(t.failures()).as(t.summary()).isZero();
    assertThat(t.get("/shop/cart")).isEqualTo("200 beta /shop/cart\n");
  }

  @Test
  @Order(7)
  void anIngressOfTheGantryClassIsRoutedByPath() {
    long applied = System.nanoTime();
    cluster.apply(NAMESPACE, Manifests.ingressLoadBalancer(NAMESPACE, "gantry-e2e"));
    cluster.apply(NAMESPACE, Manifests.ingress("gantry-e2e", "ingress.example.test"));
    await("the edge fleet's Service", () -> client.services().inNamespace(NAMESPACE).withName("gantry-edge")
        .get() != null);
    Traffic t = traffic(cluster.nodePort(NAMESPACE, "gantry-edge", "http"), "ingress.example.test");
    await("the Ingress serves traffic", () -> t.probe("/beta/x").equals("200 beta /beta/x\n"));
    report("Ingress applied to traffic: " + millis(applied) + " ms");
    assertThat(t.get("/")).isEqualTo("200 alpha /\n");
    assertThat(t.get("/betax")).isEqualTo("200 alpha /betax\n");
    await("the Ingress's status has the LoadBalancer's address", () -> !client.network().v1().ingresses()
        .inNamespace(NAMESPACE).withName("shop").get().getStatus().getLoadBalancer().getIngress().isEmpty());
  }

  @Test
  @Order(8)
  void aServiceOfTypeLoadBalancerGetsTheNodesAddressAndPassesTcp() throws Exception {
    long applied = System.nanoTime();
    cluster.apply(NAMESPACE, Manifests.serviceLoadBalancer(E2eCluster.SERVICE_LB_PORT));
    String node = cluster.nodeInternalIp();
    await("the Service's EXTERNAL-IP is the node's address", () -> client.services().inNamespace(NAMESPACE)
        .withName("echo-lb").get().getStatus().getLoadBalancer().getIngress().stream()
        .anyMatch(i -> node.equals(i.getIp())));
    InetSocketAddress bound = cluster.nodeAddress(E2eCluster.SERVICE_LB_PORT);
    await("TCP through the Service's port on the node", () -> echo(bound, "ping", true).equals("ping"));
    report("Service of type LoadBalancer created to TCP through the node: " + millis(applied) + " ms");
    assertThat(echo(bound, "hello through the node")).isEqualTo("hello through the node");
  }

  @Test
  @Order(9)
  void aRolloutRestartOfTheFleetUnderTraffic() {
    Deployment before = client.apps().deployments().inNamespace(NAMESPACE).withName(FLEET).get();
    EndpointsLog endpoints = new EndpointsLog(client, NAMESPACE, FLEET);
    Traffic t = loadOnTheShop();
    try {
      // kubectl rollout restart deployment/gantry-shop
      client.apps().deployments().inNamespace(NAMESPACE).withName(FLEET).rolling().restart();
      await("the restarted fleet is rolled out", () -> rolledOut(before.getMetadata().getGeneration()));
      t.awaitRequests(t.requests() + 100);
    } finally {
      t.stopLoad();
      endpoints.close();
    }
    report("rollout restart of the fleet under traffic: " + t.summary(), t, endpoints);
    assertThat(t.failures()).as(t.summary()).isZero();
  }

  @Test
  @Order(10)
  void theOperatorPodDeletedUnderTraffic() {
    EndpointsLog endpoints = new EndpointsLog(client, NAMESPACE, FLEET);
    Traffic t = loadOnTheShop();
    try {
      String old = operatorPod().getMetadata().getName();
      client.pods().inNamespace(E2eCluster.SYSTEM_NAMESPACE).withName(old).delete();
      await("a new operator pod is ready", () -> {
        Pod pod = operatorPod();
        return pod != null && !pod.getMetadata().getName().equals(old) && Boolean.TRUE.equals(pod.getStatus()
            .getContainerStatuses().get(0).getReady());
      });
      // the new operator takes over: the next change reaches the proxies
      cluster.apply(NAMESPACE, Manifests.loadBalancer(""));
      await("the route is gone again", () -> t.answered("200 alpha /shop/cart\n") > 0);
      awaitReady(3);
      cluster.apply(NAMESPACE, Manifests.loadBalancer(Manifests.SHOP_ROUTE));
      awaitReady(4);
    } finally {
      t.stopLoad();
      endpoints.close();
    }
    report("operator pod deleted under traffic: " + t.summary(), t, endpoints);
    assertThat(t.failures()).as(t.summary()).isZero();
  }

  @Test
  @Order(11)
  void aProxyPodKilledUnderTraffic() {
    EndpointsLog endpoints = new EndpointsLog(client, NAMESPACE, FLEET);
    Traffic t = loadOnTheShop();
    int failedWhileKilled;
    try {
      Pod victim = client.pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/instance", FLEET).list()
          .getItems().get(0);
      // killed: no grace period, as an OOM kill or a lost node ends a pod
      client.pods().inNamespace(NAMESPACE).withName(victim.getMetadata().getName()).withGracePeriod(0).delete();
      await("the fleet is whole again", () -> readyReplicas(FLEET) == 2 && client.pods().inNamespace(NAMESPACE)
          .withLabel("app.kubernetes.io/instance", FLEET).list().getItems().stream()
          .noneMatch(p -> p.getMetadata().getName().equals(victim.getMetadata().getName())));
      failedWhileKilled = t.failures();
      t.awaitRequests(t.requests() + 200);
    } finally {
      t.stopLoad();
      endpoints.close();
    }
    // A killed process cannot finish what it holds: what kube-proxy sent it before its endpoint went is lost
    // (counted and reported); once the fleet is whole again, nothing fails.
    report("a proxy pod of two killed under traffic: " + t.summary() + " (" + failedWhileKilled
        + " while it was being replaced)", t, endpoints);
    assertThat(t.failures()).as("failures once the fleet was whole again: " + t.summary())
        .isEqualTo(failedWhileKilled);
  }

  // --- helpers

  /** Steady load on /shop/cart through the shop's NodePort, which the shop route sends to beta. */
  Traffic loadOnTheShop() {
    Traffic t = traffic(http, HOST);
    t.startLoad("/shop/cart", "200 beta /shop/cart\n", "200 alpha /shop/cart\n");
    t.awaitRequests(50);
    return t;
  }

  Pod operatorPod() {
    return client.pods().inNamespace(E2eCluster.SYSTEM_NAMESPACE).withLabel("app.kubernetes.io/instance",
        E2eCluster.RELEASE).list().getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .findFirst().orElse(null);
  }

  boolean rolledOut(long generationBefore) {
    Deployment d = client.apps().deployments().inNamespace(NAMESPACE).withName(FLEET).get();
    var s = d.getStatus();
    return d.getMetadata().getGeneration() > generationBefore && s.getObservedGeneration() >= d.getMetadata()
        .getGeneration() && s.getUpdatedReplicas() != null && s.getUpdatedReplicas().equals(d.getSpec().getReplicas())
        && d.getSpec().getReplicas().equals(s.getReadyReplicas()) && d.getSpec().getReplicas().equals(s.getReplicas());
  }

  int readyReplicas(String deployment) {
    Deployment d = client.apps().deployments().inNamespace(NAMESPACE).withName(deployment).get();
    return d == null || d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
        : d.getStatus().getReadyReplicas();
  }

  void awaitReady(long generation) {
    await("LoadBalancer shop Ready at generation " + generation, () -> Status.of(client, NAMESPACE, "shop")
        .readyAt(generation));
  }

  static Traffic traffic(InetSocketAddress to, String host) {
    return new Traffic(to.getHostString(), to.getPort(), host);
  }

  /** Sends a line to a TCP echo and reads the line that comes back. */
  static String echo(InetSocketAddress to, String line) throws Exception {
    return echo(to, line, false);
  }

  /** The same; as a probe (see {@link Traffic#probe}), from a source port below the ephemeral range. */
  static String echo(InetSocketAddress to, String line, boolean probe) throws Exception {
    try (Socket socket = new Socket()) {
      if (probe) {
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(Ports.free()));
      }
      socket.connect(to, 5_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }
  }

  static long millis(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }

  /** The suite's figures, in the build's output. */
  static void report(String line) {
    System.out.println("[e2e] " + line);
  }

  /**
   * A disruption's figures; when requests failed, with what the fleet's endpoints said meanwhile and what its
   * proxies logged.
   */
  void report(String line, Traffic traffic, EndpointsLog endpoints) {
    report(line);
    if (traffic.failures() > 0) {
      endpoints.lines().forEach(l -> report("  endpoints " + l));
      for (Pod pod : client.pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/instance", FLEET).list()
          .getItems()) {
        String log = client.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).tailingLines(20)
            .getLog();
        log.lines().forEach(l -> report("  log of " + pod.getMetadata().getName() + " " + pod.getStatus().getPodIP()
            + ": " + l));
      }
    }
  }

  /** Waits for a condition; on timeout, fails with what the cluster looks like. */
  void await(String what, Callable<Boolean> condition) {
    try {
      Awaitility.await(what).atMost(READY).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(what + ": not within " + READY + "\n" + Status.of(client, NAMESPACE, "shop")
          + cluster.describe(), e);
    }
  }
}
