package dev.gantry.operator.wholepath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.ingress.IngressClasses;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.ControlPlaneExtension;
import dev.gantry.operator.testing.GantryRelease;
import dev.gantry.operator.testing.LocalAddresses;
import dev.gantry.operator.testing.PodProcess;
import dev.gantry.operator.testing.Traffic;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.TestBackend;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ingresses on the whole path, on the real control plane: the operator attaches them to the LoadBalancer
 * their class names, its fleet's pod runs as a local process with the Deployment's own arguments, and
 * requests by host and path reach real backends behind EndpointSlices; two Ingresses on one host merge, and a
 * changed Ingress shifts traffic under load with no failed request.
 */
@ExtendWith(ControlPlaneExtension.class)
class IngressWholePathIT {

  KubernetesClient client;
  Cluster cluster;
  GantryOperator operator;
  PodProcess pod;
  final List<TestBackend> backends = new ArrayList<>();
  Traffic traffic;

  @BeforeEach
  void start(GantryRelease gantry, LocalAddresses addresses) {
    cluster = Cluster.inNewNamespace(gantry.controlPlane(), "ingress-path");
    client = cluster.client();
    String backendIp = addresses.address(11);
    for (String name : List.of("shop", "blog", "blog-next")) {
      TestBackend b = TestBackend.start(name, backendIp, 0);
      backends.add(b);
      cluster.service(name, 80, "http", b.port());
      cluster.endpoints(name, "http", b.port(), List.of(backendIp), List.of());
    }
    client.resource(new IngressClassBuilder().withNewMetadata().withName("gantry").endMetadata()
        .withNewSpec().withController(IngressClasses.CONTROLLER)
        .withNewParameters().withApiGroup("gantry.dev").withKind("LoadBalancer").withName("edge").endParameters()
        .endSpec().build()).createOr(r -> r.update());
    int port = Ports.free();
    operator = gantry.startOperator(Set.of(cluster.namespace()), Ports.free());
    cluster.apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: edge}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP}]
          service: {type: ClusterIP}
        """.formatted(port));
    String podIp = addresses.address(21);
    pod = PodProcess.runFleetPod(gantry.controlPlane(), cluster, "gantry-edge", podIp, addresses.address(1));
    traffic = new Traffic(podIp, port, "shop.example.com");
  }

  @AfterEach
  void stop() {
    if (traffic != null) {
      traffic.close();
    }
    if (pod != null) {
      pod.close();
    }
    if (operator != null) {
      operator.close();
    }
    backends.forEach(TestBackend::close);
    client.namespaces().withName(cluster.namespace()).delete();
  }

  Ingress ingress(String name, String path, String service) {
    return client.resource(new IngressBuilder()
        .withNewMetadata().withName(name).withNamespace(cluster.namespace()).endMetadata()
        .withNewSpec().withIngressClassName("gantry")
        .withRules(new IngressRuleBuilder().withHost("shop.example.com").withNewHttp()
            .addNewPath().withPath(path).withPathType("Prefix").withNewBackend().withNewService()
            .withName(service).withNewPort().withNumber(80).endPort().endService().endBackend().endPath()
            .endHttp().build())
        .endSpec().build()).createOr(r -> r.update());
  }

  @Test
  void ingressesRouteByPathMergeOnOneHostAndChangeUnderLoad() {
    long applied = System.nanoTime();
    ingress("shop", "/", "shop");
    ingress("blog", "/blog", "blog");
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).ignoreExceptions()
        .until(() -> traffic.get("/blog/post").equals("200 blog") && traffic.get("/").equals("200 shop"));
    System.out.println("ingress whole path: apply to traffic " + (System.nanoTime() - applied) / 1_000_000 + " ms");
    assertThat(traffic.get("/cart")).isEqualTo("200 shop");
    assertThat(traffic.get("/blogx")).isEqualTo("200 shop");

    traffic.startLoad("/blog/item", "200 blog", "200 blog-next");
    traffic.awaitRequests(50);
    long changed = System.nanoTime();
    ingress("blog", "/blog", "blog-next");
    TestBackend next = backends.get(2);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> !next.seen().isEmpty());
    long changeToTraffic = (System.nanoTime() - changed) / 1_000_000;
    traffic.awaitRequests(traffic.requests() + 100);
    traffic.stopLoad();
    System.out.println("ingress whole path: change to traffic " + changeToTraffic + " ms, " + traffic.summary());
    assertThat(traffic.failures()).isZero();
    assertThat(traffic.get("/blog")).isEqualTo("200 blog-next");
  }
}
