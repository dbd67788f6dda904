package dev.gantry.operator.wholepath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.ingress.IngressClasses;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.translate.FleetNames;
import dev.gantry.operator.translate.FleetSettings;
import dev.gantry.proxy.GantryProxy;
import dev.gantry.proxy.ProxyOptions;
import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.cluster.ClusterConfigSource;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.TestBackend;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ingresses on the whole path: the mock API server, the operator, a proxy in cluster mode and real backends.
 * Ingresses route traffic by path, two on one host merge, and a changed Ingress shifts traffic under load
 * with no failed request.
 */
@EnableKubernetesMockClient(crud = true)
class IngressWholePathIT {

  KubernetesClient client;
  Cluster cluster;
  GantryOperator operator;
  GantryProxy proxy;
  ClusterConfigSource source;
  final List<TestBackend> backends = new ArrayList<>();
  int port;

  @BeforeEach
  void start() throws Exception {
    cluster = new Cluster(client).installCrd();
    for (String name : List.of("shop", "blog", "blog-next")) {
      TestBackend b = TestBackend.start(name);
      backends.add(b);
      cluster.service(name, 80, "http", b.port());
      cluster.endpoints(name, "http", b.port(), List.of("127.0.0.1"), List.of());
    }
    client.resource(new IngressClassBuilder().withNewMetadata().withName("gantry").endMetadata()
        .withNewSpec().withController(IngressClasses.CONTROLLER)
        .withNewParameters().withApiGroup("gantry.dev").withKind("LoadBalancer").withName("edge").endParameters()
        .endSpec().build()).create();
    port = Ports.free();
    int adminPort = Ports.free();
    operator = new GantryOperator(new GantryOperator.Config(client, Set.of(Cluster.NS),
        new FleetSettings("gantry/proxy:test", "IfNotPresent", adminPort), Optional.empty(),
        new SimpleMeterRegistry(), false)).start();
    FleetNames names = FleetNames.of(Cluster.NS, "edge");
    proxy = GantryProxy.start(new ProxyOptions("127.0.0.1", "127.0.0.1", adminPort, 2, "auto"), AccessLog.disabled());
    source = new ClusterConfigSource(client, Cluster.NS, "edge", names.modelConfigMap(), names.tlsSecret(), proxy)
        .start();
    cluster.apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: edge}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP}]
          service: {type: ClusterIP}
        """.formatted(port));
  }

  @AfterEach
  void stop() {
    source.close();
    proxy.close();
    operator.close();
    backends.forEach(TestBackend::close);
  }

  Ingress ingress(String name, String path, String service) {
    return client.resource(new IngressBuilder()
        .withNewMetadata().withName(name).withNamespace(Cluster.NS).endMetadata()
        .withNewSpec().withIngressClassName("gantry")
        .withRules(new IngressRuleBuilder().withHost("shop.example.com").withNewHttp()
            .addNewPath().withPath(path).withPathType("Prefix").withNewBackend().withNewService()
            .withName(service).withNewPort().withNumber(80).endPort().endService().endBackend().endPath()
            .endHttp().build())
        .endSpec().build()).createOr(r -> r.update());
  }

  String get(String path) {
    try (RawHttp c = new RawHttp(port)) {
      RawHttp.Response r = c.send("GET " + path + " HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n")
          .read();
      return r.status() + " " + r.body();
    }
  }

  @Test
  void ingressesRouteByPathMergeOnOneHostAndChangeUnderLoad() throws Exception {
    long applied = System.nanoTime();
    ingress("shop", "/", "shop");
    ingress("blog", "/blog", "blog");
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).ignoreExceptions()
        .until(() -> get("/blog/post").equals("200 blog") && get("/").equals("200 shop"));
    System.out.println("ingress whole path: apply to traffic " + (System.nanoTime() - applied) / 1_000_000 + " ms");
    assertThat(get("/cart")).isEqualTo("200 shop");
    assertThat(get("/blogx")).isEqualTo("200 shop");

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger requests = new AtomicInteger();
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    List<Thread> load = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Thread t = new Thread(() -> {
        while (running.get()) {
          try {
            String r = get("/blog/item");
            if (!r.equals("200 blog") && !r.equals("200 blog-next")) {
              failures.incrementAndGet();
              System.out.println("ingress whole path: unexpected answer " + r);
            }
            seen.merge(r, 1, Integer::sum);
          } catch (Exception e) {
            failures.incrementAndGet();
            System.out.println("ingress whole path: request failed " + e);
          }
          requests.incrementAndGet();
        }
      }, "load");
      load.add(t);
      t.start();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() > 50);
    long changed = System.nanoTime();
    ingress("blog", "/blog", "blog-next");
    TestBackend next = backends.get(2);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> !next.seen().isEmpty());
    long changeToTraffic = (System.nanoTime() - changed) / 1_000_000;
    int at = requests.get();
    await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() > at + 100);
    running.set(false);
    for (Thread t : load) {
      t.join(10_000);
    }
    System.out.println("ingress whole path: change to traffic " + changeToTraffic + " ms, " + requests.get()
        + " requests under load " + seen + ", " + failures.get() + " failed");
    assertThat(failures.get()).isZero();
    assertThat(get("/blog")).isEqualTo("200 blog-next");
  }
}
