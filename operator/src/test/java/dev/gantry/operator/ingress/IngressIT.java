package dev.gantry.operator.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.model.LoadBalancer;
import dev.gantry.model.ModelCodec;
import dev.gantry.model.Route;
import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.Pem;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import dev.gantry.operator.testing.ControlPlaneExtension;
import dev.gantry.operator.testing.GantryRelease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ingresses of Gantry's class become routes of the LoadBalancer their IngressClass names; on the real API
 * server, as the chart's ServiceAccount.
 */
@ExtendWith(ControlPlaneExtension.class)
class IngressIT {

  KubernetesClient client;
  Cluster cluster;
  GantryRelease gantry;
  GantryOperator operator;

  static final String EDGE = """
      apiVersion: gantry.dev/v1alpha1
      kind: LoadBalancer
      metadata: {name: edge}
      spec:
        listeners:
        - {name: http, port: 8080, protocol: HTTP}
        - {name: https, port: 8443, protocol: HTTPS}
      """;

  @BeforeEach
  void start(GantryRelease gantry) {
    this.gantry = gantry;
    cluster = Cluster.inNewNamespace(gantry.controlPlane(), "ingress");
    client = cluster.client();
    ingressClass("gantry", IngressClasses.CONTROLLER, "edge", false);
    ingressClass("other", "example.com/other-controller", null, false);
    cluster.service("shop", 80, "http", 8080);
    cluster.endpoints("shop", "http", 8080, List.of("10.1.0.1"), List.of());
    cluster.service("blog", 80, "http", 8080);
    cluster.endpoints("blog", "http", 8080, List.of("10.2.0.1", "10.2.0.2"), List.of());
    operator = gantry.startOperator(Set.of(cluster.namespace()), 8404);
    cluster.apply(EDGE);
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

  void ingressClass(String name, String controller, String loadBalancer, boolean isDefault) {
    var b = new IngressClassBuilder().withNewMetadata().withName(name)
        .withAnnotations(isDefault ? Map.of(IngressClasses.DEFAULT_CLASS_ANNOTATION, "true") : Map.of())
        .endMetadata().withNewSpec().withController(controller);
    if (loadBalancer != null) {
      b = b.withNewParameters().withApiGroup("gantry.dev").withKind("LoadBalancer").withName(loadBalancer)
          .endParameters();
    }
    client.resource(b.endSpec().build()).createOr(r -> r.update());
  }

  /** An Ingress with one rule for {@code host}: each path (Prefix) to the Service of the same index. */
  Ingress ingress(String name, String className, String host, List<String> paths, List<String> services) {
    var rule = new IngressRuleBuilder().withHost(host).withNewHttp();
    for (int i = 0; i < paths.size(); i++) {
      rule = rule.addNewPath().withPath(paths.get(i)).withPathType("Prefix").withNewBackend().withNewService()
          .withName(services.get(i)).withNewPort().withNumber(80).endPort().endService().endBackend().endPath();
    }
    IngressBuilder b = new IngressBuilder().withNewMetadata().withName(name).withNamespace(cluster.namespace()).endMetadata()
        .withNewSpec().withIngressClassName(className).withRules(rule.endHttp().build()).endSpec();
    return client.resource(b.build()).createOr(r -> r.update());
  }

  LoadBalancer model() {
    ConfigMap cm = cluster.get(ConfigMap.class, "gantry-edge-model");
    try {
      return ModelCodec.fromJson(ModelCodec.jsonMapper().writeValueAsString(
          ModelCodec.yamlMapper().readTree(cm.getData().get("loadbalancer.json"))));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The model's Ingress routes as "host path -> endpoints". */
  Set<String> ingressRoutes() {
    LoadBalancer m = model();
    return m.spec().routesOrEmpty().stream().filter(r -> r.name().startsWith("ingress-"))
        .map(r -> describe(m, r)).collect(Collectors.toSet());
  }

  static String describe(LoadBalancer m, Route r) {
    String backend = r.backends().get(0).name();
    String endpoints = m.spec().backends().stream().filter(b -> b.name().equals(backend)).findFirst().orElseThrow()
        .endpointsOrEmpty().stream().map(e -> e.address()).sorted().collect(Collectors.joining(","));
    String host = r.hostsOrEmpty().isEmpty() ? "*" : r.hostsOrEmpty().get(0);
    String path = r.pathsOrEmpty().isEmpty() ? "(default)" : r.paths().get(0).type() + " " + r.paths().get(0).value();
    return host + " " + path + " -> " + endpoints;
  }

  List<String> warningsOn(String ingress) {
    return client.v1().events().inNamespace(cluster.namespace()).list().getItems().stream()
        .filter(e -> ingress.equals(e.getInvolvedObject().getName()) && "Ingress".equals(e.getInvolvedObject().getKind()))
        .map(Event::getMessage).toList();
  }

  @Test
  void anIngressBecomesRoutesByHostAndPath() {
    ingress("shop", "gantry", "shop.example.com", List.of("/", "/blog"), List.of("shop", "blog"));
    eventually().untilAsserted(() -> assertThat(ingressRoutes()).containsExactlyInAnyOrder(
        "shop.example.com Prefix / -> 10.1.0.1",
        "shop.example.com Prefix /blog -> 10.2.0.1,10.2.0.2"));
  }

  @Test
  void twoIngressesOnOneHostMergeAndAConflictGoesToTheOlderOne() throws Exception {
    ingress("shop", "gantry", "shop.example.com", List.of("/"), List.of("shop"));
    Thread.sleep(1100); // creation timestamps have a resolution of one second
    ingress("blog", "gantry", "shop.example.com", List.of("/blog"), List.of("blog"));
    eventually().untilAsserted(() -> assertThat(ingressRoutes()).containsExactlyInAnyOrder(
        "shop.example.com Prefix / -> 10.1.0.1",
        "shop.example.com Prefix /blog -> 10.2.0.1,10.2.0.2"));
    Thread.sleep(1100);
    ingress("late", "gantry", "shop.example.com", List.of("/blog"), List.of("shop"));
    eventually().untilAsserted(() -> assertThat(warningsOn("late")).anySatisfy(m -> assertThat(m)
        .isEqualTo("path Prefix /blog on host shop.example.com is also claimed by Ingress " + cluster.namespace()
            + "/blog, which takes precedence")));
    assertThat(warningsOn("blog")).isEmpty();
  }

  @Test
  void aMissingServiceIsReportedOnTheIngressAndTheRestIsServed() {
    ingress("partly", "gantry", "shop.example.com", List.of("/", "/gone"), List.of("shop", "missing"));
    eventually().untilAsserted(() -> assertThat(warningsOn("partly")).anySatisfy(m -> assertThat(m)
        .contains("Service \"missing\" not found")));
    assertThat(ingressRoutes()).contains("shop.example.com Prefix / -> 10.1.0.1");
  }

  @Test
  void ingressesOfOtherClassesAreLeftAlone() throws Exception {
    ingress("theirs", "other", "other.example.com", List.of("/"), List.of("shop"));
    ingress("unknown-class", "nope", "x.example.com", List.of("/"), List.of("shop"));
    ingress("ours", "gantry", "shop.example.com", List.of("/"), List.of("shop"));
    eventually().untilAsserted(() -> assertThat(ingressRoutes()).containsExactly("shop.example.com Prefix / -> 10.1.0.1"));
    Thread.sleep(500);
    assertThat(ingressRoutes()).containsExactly("shop.example.com Prefix / -> 10.1.0.1");
    // Not ours: no status written, no Event.
    var theirs = client.network().v1().ingresses().inNamespace(cluster.namespace()).withName("theirs").get();
    assertThat(theirs.getStatus() == null || theirs.getStatus().getLoadBalancer() == null
        || theirs.getStatus().getLoadBalancer().getIngress() == null
        || theirs.getStatus().getLoadBalancer().getIngress().isEmpty()).isTrue();
    assertThat(warningsOn("theirs")).isEmpty();
  }

  @Test
  void anIngressWithoutAClassGoesToTheDefaultClass() {
    ingress("classless", null, "shop.example.com", List.of("/"), List.of("shop"));
    ingressClass("gantry", IngressClasses.CONTROLLER, "edge", true);
    eventually().untilAsserted(() -> assertThat(ingressRoutes()).containsExactly("shop.example.com Prefix / -> 10.1.0.1"));
  }

  @Test
  void theIngressStatusGetsTheLoadBalancersAddress() {
    ingress("shop", "gantry", "shop.example.com", List.of("/"), List.of("shop"));
    // The fleet's Service gets its address as a cloud controller would hand it out.
    eventually().until(() -> cluster.get(Service.class, "gantry-edge") != null);
    Service fleet = cluster.get(Service.class, "gantry-edge");
    fleet.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder().withNewLoadBalancer()
        .addNewIngress().withIp("203.0.113.7").endIngress().endLoadBalancer().build());
    client.resource(fleet).updateStatus();
    eventually().untilAsserted(() -> assertThat(client.network().v1().ingresses().inNamespace(cluster.namespace())
        .withName("shop").get().getStatus().getLoadBalancer().getIngress())
        .singleElement().satisfies(i -> assertThat(i.getIp()).isEqualTo("203.0.113.7")));
  }

  @Test
  void tlsSecretsBecomeCertificatesOfTheHttpsListener() {
    cluster.tlsSecret("shop-tls", Pem.certificate("shop"), Pem.key("shop"));
    Ingress i = ingress("shop", "gantry", "shop.example.com", List.of("/"), List.of("shop"));
    i.getSpec().setTls(List.of(new io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder()
        .withHosts("shop.example.com").withSecretName("shop-tls").build()));
    client.resource(i).update();
    eventually().untilAsserted(() -> assertThat(model().spec().listeners().get(1).tls().certificates())
        .singleElement().satisfies(c -> assertThat(c.certFile()).isEqualTo("shop-tls.crt")));
    assertThat(cluster.get(Secret.class, "gantry-edge-tls").getData()).containsKeys("shop-tls.crt", "shop-tls.key");
  }

  @Test
  void aNamespaceScopedClassServesIngressesOfEveryNamespaceWithTheirOwnServicesAndSecrets() {
    Cluster team = Cluster.inNewNamespace(gantry.controlPlane(), "shop-team");
    team.service("catalog", 80, "http", 8080);
    team.endpoints("catalog", "http", 8080, List.of("10.9.0.1"), List.of());
    team.tlsSecret("catalog-tls", Pem.certificate("c"), Pem.key("c"));
    // the operator now watches both namespaces, as it would watch every namespace by default
    operator.close();
    operator = gantry.startOperator(Set.of(cluster.namespace(), team.namespace()), 8404);
    client.resource(new IngressClassBuilder().withNewMetadata().withName("shared").endMetadata()
        .withNewSpec().withController(IngressClasses.CONTROLLER).withNewParameters().withApiGroup("gantry.dev")
        .withKind("LoadBalancer").withName("edge").withScope("Namespace").withNamespace(cluster.namespace()).endParameters()
        .endSpec().build()).create();
    client.resource(new IngressBuilder().withNewMetadata().withName("catalog").withNamespace(team.namespace())
        .endMetadata()
        .withNewSpec().withIngressClassName("shared")
        .addNewTl().withHosts("catalog.example.com").withSecretName("catalog-tls").endTl()
        .withRules(new IngressRuleBuilder().withHost("catalog.example.com").withNewHttp()
            .addNewPath().withPath("/").withPathType("Prefix").withNewBackend().withNewService().withName("catalog")
            .withNewPort().withNumber(80).endPort().endService().endBackend().endPath().endHttp().build())
        .endSpec().build()).create();

    // Served by the LoadBalancer edge of the first namespace, with the endpoints and the certificate of the
    // Ingress's own namespace.
    eventually().untilAsserted(() -> assertThat(ingressRoutes()).containsExactly("catalog.example.com Prefix / -> 10.9.0.1"));
    eventually().untilAsserted(() -> assertThat(model().spec().listeners().get(1).tls().certificates())
        .singleElement().satisfies(c -> assertThat(c.certFile()).isEqualTo(team.namespace() + ".catalog-tls.crt")));
    assertThat(cluster.get(Secret.class, "gantry-edge-tls").getData()).containsKeys(team.namespace()
        + ".catalog-tls.crt");
    client.namespaces().withName(team.namespace()).delete();
  }
}
