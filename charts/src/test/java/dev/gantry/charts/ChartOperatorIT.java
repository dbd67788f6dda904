package dev.gantry.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.model.Address;
import dev.gantry.model.Condition;
import dev.gantry.model.LoadBalancerStatus;
import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.ControlPlane;
import dev.gantry.operator.testing.ControlPlaneExtension;
import dev.gantry.operator.testing.LocalAddresses;
import dev.gantry.operator.testing.PodProcess;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator pod the chart's Deployment makes, run as its kubelet would (exactly the container's arguments
 * and environment, as the chart's ServiceAccount, leader election on): everything it does in the cluster it
 * does with the chart's permissions and nothing else. It becomes ready and leads, reconciles a LoadBalancer
 * into a fleet with status and Events, serves a Service of type LoadBalancer and the Ingresses of the chart's
 * IngressClass; a verb the chart does not grant fails here, and so does any "Forbidden" in its log.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChartOperatorIT {

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
        - {name: main, service: {name: main, port: 80}}
        - {name: forum, service: {name: forum, port: http}}
        service: {type: ClusterIP}
      """;

  ControlPlane controlPlane;
  KubernetesClient admin;
  InstalledChart chart;
  PodProcess operator;
  String podIp;
  int healthPort;
  int logChecked;
  final List<String> namespaces = new ArrayList<>();

  @BeforeAll
  void installAndRunTheOperatorPod(ControlPlane controlPlane, LocalAddresses addresses) {
    this.controlPlane = controlPlane;
    admin = controlPlane.admin();
    healthPort = FreePorts.any();
    chart = InstalledChart.install(controlPlane, "run", "run-system", """
        healthPort: %d
        ingressClass:
          enabled: true
          name: run-gantry
          loadBalancer: {name: edge, create: true, serviceType: ClusterIP, replicas: 1}
        """.formatted(healthPort));
    podIp = addresses.address(30);
    operator = chart.runOperator(podIp, addresses.address(1));
  }

  /**
   * Checked after each test on what the operator logged since the last check (its start-up, for the first),
   * so that a refusal fails the test it happened in.
   */
  @AfterEach
  void theOperatorWasNeverForbiddenAnything() {
    assertThat(operator.alive()).as("the operator pod runs").isTrue();
    String log = operator.log();
    assertThat(log.substring(logChecked)).as("the operator pod's log").doesNotContainIgnoringCase("forbidden")
        // status is written without an optimistic lock: never a conflict to retry
        .doesNotContain("the object has been modified");
    logChecked = log.length();
  }

  @AfterAll
  void stopAndUninstall() {
    if (operator != null) {
      operator.close();
    }
    namespaces.forEach(ns -> admin.namespaces().withName(ns).delete());
    if (chart != null) {
      chart.uninstall();
    }
  }

  Cluster namespace(String prefix) {
    Cluster cluster = Cluster.inNewNamespace(controlPlane, prefix);
    namespaces.add(cluster.namespace());
    return cluster;
  }

  static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions();
  }

  @Test
  void becomesReadyAndLeadsThroughTheChartsRole() throws Exception {
    assertThat(get("/readyz")).isEqualTo("200 ready");
    assertThat(get("/healthz")).isEqualTo("200 ok");
    // ready says the informers have synced, not that this replica leads (a standby is ready too): the Lease
    // appears a moment later
    Lease taken = eventually().until(this::lease, Objects::nonNull);
    assertThat(taken.getSpec().getHolderIdentity()).isEqualTo(operator.pod().getMetadata().getName());
    // and keeps it: the leader renews the Lease every few seconds (else it would stop leading, and exit)
    eventually().until(() -> !lease().getSpec().getRenewTime().equals(taken.getSpec().getRenewTime()));
    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(operator.pod().getMetadata().getName());
    assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(taken.getSpec().getLeaseTransitions());
    // the Deployment controller counts the pod ready from the readiness the chart's probe reported
    eventually().until(() -> admin.apps().deployments().inNamespace(chart.namespace()).withName(chart.fullname())
        .get().getStatus().getReadyReplicas() == 1);
  }

  @Test
  void reconcilesALoadBalancerIntoAFleetWithStatusAndEvents() {
    Cluster shop = namespace("shop");
    shop.service("main", 80, "http", 8080);
    shop.endpoints("main", "http", 8080, List.of("10.1.0.1"), List.of());
    LoadBalancerResource lb = shop.apply(SHOP);

    // the forum Service is missing: not accepted, said in a Warning Event; the rest is served
    eventually().until(() -> "ServiceNotFound".equals(condition(shop, "Accepted").reason()));
    assertThat(condition(shop, "Programmed").status()).isEqualTo("True");
    eventually().until(() -> events(shop).stream().anyMatch(e -> "Warning".equals(e.getType())
        && "ServiceNotFound".equals(e.getReason())));

    shop.service("forum", 8080, "http", 9000);
    shop.endpoints("forum", "http", 9000, List.of("10.2.0.1"), List.of());
    eventually().until(() -> "True".equals(condition(shop, "Accepted").status()));
    eventually().until(() -> events(shop).stream().anyMatch(e -> "Normal".equals(e.getType())
        && "Accepted".equals(e.getReason())));

    List<HasMetadata> fleet = List.of(shop.get(ConfigMap.class, "gantry-shop-model"),
        shop.get(Secret.class, "gantry-shop-tls"), shop.get(Deployment.class, "gantry-shop"),
        shop.get(Service.class, "gantry-shop"), shop.get(ServiceAccount.class, "gantry-shop"),
        shop.get(Role.class, "gantry-shop"), shop.get(RoleBinding.class, "gantry-shop"),
        shop.get(PodDisruptionBudget.class, "gantry-shop"));
    assertThat(fleet).allSatisfy(o -> assertThat(o.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(r -> assertThat(r.getUid()).isEqualTo(lb.getMetadata().getUid())));
    String clusterIp = shop.get(Service.class, "gantry-shop").getSpec().getClusterIP();
    eventually().until(() -> status(shop).addresses() != null);
    assertThat(status(shop).addresses()).containsExactly(new Address("IPAddress", clusterIp));
  }

  @Test
  void servesAServiceOfTypeLoadBalancer() {
    Cluster db = namespace("db");
    admin.resource(new ServiceBuilder()
        .withNewMetadata().withName("db").withNamespace(db.namespace()).endMetadata()
        .withNewSpec().withType("LoadBalancer").withLoadBalancerClass("gantry.dev/lb")
          .addNewPort().withName("pg").withPort(5432).withNewTargetPort(5432).withProtocol("TCP").endPort()
        .endSpec().build()).create();

    // the operator creates the Service's LoadBalancer, then its fleet
    eventually().until(() -> db.loadBalancer("svc-db") != null);
    eventually().until(() -> !db.fleetPods("gantry-svc-db").isEmpty());
    // a proxy pod ready on a node: the node's address is written into the Service's status
    db.reportRunningAndReady(db.fleetPods("gantry-svc-db").get(0), "198.18.128.7", "192.0.2.10");
    eventually().untilAsserted(() -> assertThat(db.get(Service.class, "db").getStatus().getLoadBalancer()
        .getIngress()).singleElement().satisfies(i -> assertThat(i.getIp()).isEqualTo("192.0.2.10")));
  }

  @Test
  void servesIngressesOfTheChartsIngressClass() {
    Cluster web = namespace("web");
    web.service("blog", 80, "http", 8080);
    web.endpoints("blog", "http", 8080, List.of("10.3.0.1"), List.of());
    admin.resource(new IngressBuilder()
        .withNewMetadata().withName("blog").withNamespace(web.namespace()).endMetadata()
        .withNewSpec().withIngressClassName("run-gantry")
          .addNewRule().withHost("blog.example.com").withNewHttp()
            .addNewPath().withPath("/").withPathType("Prefix").withNewBackend().withNewService().withName("blog")
              .withNewPort().withNumber(80).endPort().endService().endBackend().endPath()
          .endHttp().endRule()
        .endSpec().build()).create();

    // its rule becomes a route of the chart's LoadBalancer, in the release namespace
    Cluster release = chart.releaseNamespace();
    eventually().until(() -> release.get(ConfigMap.class, "gantry-edge-model").getData().get("loadbalancer.json")
        .contains("blog.example.com"));
    // and the Ingress gets that LoadBalancer's address
    String clusterIp = release.get(Service.class, "gantry-edge").getSpec().getClusterIP();
    eventually().untilAsserted(() -> assertThat(web.get(Ingress.class, "blog").getStatus().getLoadBalancer()
        .getIngress()).singleElement().satisfies(i -> assertThat(i.getIp()).isEqualTo(clusterIp)));
  }

  private String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://" + podIp + ":" + healthPort + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body().strip();
  }

  private Lease lease() {
    return admin.resources(Lease.class).inNamespace(chart.namespace()).withName("gantry-operator-leader").get();
  }

  private static LoadBalancerStatus status(Cluster cluster) {
    return cluster.loadBalancer("shop").getStatus();
  }

  private static Condition condition(Cluster cluster, String type) {
    return status(cluster).conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
  }

  private List<Event> events(Cluster cluster) {
    return admin.v1().events().inNamespace(cluster.namespace()).list().getItems().stream()
        .filter(e -> "shop".equals(e.getInvolvedObject().getName())).toList();
  }
}
