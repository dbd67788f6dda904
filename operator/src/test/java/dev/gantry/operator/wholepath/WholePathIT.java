package dev.gantry.operator.wholepath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.model.Condition;
import dev.gantry.model.LoadBalancerStatus;
import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.GarbageCollector;
import dev.gantry.operator.translate.FleetNames;
import dev.gantry.operator.translate.FleetSettings;
import dev.gantry.proxy.GantryProxy;
import dev.gantry.proxy.ProxyOptions;
import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.cluster.ClusterConfigSource;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.TestBackend;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 * The whole path on 127.0.0.1: the mock API server, the operator, a proxy in cluster mode watching what the
 * operator writes, and real backends behind EndpointSlices. Apply a LoadBalancer and traffic flows by path;
 * change a route under load and traffic shifts with no failed request; delete it and everything it owned
 * goes (with the garbage collector the mock server lacks).
 */
@EnableKubernetesMockClient(crud = true)
class WholePathIT {

  KubernetesClient client;
  Cluster cluster;
  GantryOperator operator;
  GantryProxy proxy;
  ClusterConfigSource source;
  TestBackend main;
  TestBackend forum;
  TestBackend forumNext;
  int port;
  int adminPort;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  String shop(String forumBackend) {
    return """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: shop}
        spec:
          listeners:
          - {name: http, port: %d, protocol: HTTP, defaultBackend: main}
          routes:
          - name: community
            paths: [{type: Prefix, value: /community}]
            backends: [{name: %s}]
          backends:
          - {name: main, service: {name: main, port: 80}}
          - {name: forum, service: {name: forum, port: http}}
          - {name: forum-next, service: {name: forum-next, port: http}}
          deployment: {replicas: 1}
          service: {type: ClusterIP}
        """.formatted(port, forumBackend);
  }

  @BeforeEach
  void start() throws Exception {
    cluster = new Cluster(client).installCrd();
    main = TestBackend.start("main");
    forum = TestBackend.start("forum");
    forumNext = TestBackend.start("forum-next");
    for (TestBackend b : List.of(main, forum, forumNext)) {
      cluster.service(b.name(), 80, "http", b.port());
      cluster.endpoints(b.name(), "http", b.port(), List.of("127.0.0.1"), List.of());
    }
    port = Ports.free();
    adminPort = Ports.free();
    operator = new GantryOperator(new GantryOperator.Config(client, Set.of(Cluster.NS),
        new FleetSettings("gantry/proxy:test", "IfNotPresent", adminPort), Optional.empty(),
        new SimpleMeterRegistry(), false)).start();
    // the fleet's one pod, in-process: what the Deployment would start, with the same arguments
    FleetNames names = FleetNames.of(Cluster.NS, "shop");
    proxy = GantryProxy.start(new ProxyOptions("127.0.0.1", "127.0.0.1", adminPort, 2, "auto"), AccessLog.disabled());
    source = new ClusterConfigSource(client, Cluster.NS, "shop", names.modelConfigMap(), names.tlsSecret(), proxy)
        .start();
  }

  @AfterEach
  void stop() {
    source.close();
    proxy.close();
    operator.close();
    main.close();
    forum.close();
    forumNext.close();
  }

  String get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }

  /** What the Deployment controller and the kubelet would do: a Ready pod at 127.0.0.1, one ready replica. */
  void fleetComesUp() {
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.get(Deployment.class, "gantry-shop") != null);
    cluster.readyPod("gantry-shop-7d9f-x2x5k", "shop", "gantry-shop", "127.0.0.1");
    Deployment d = cluster.get(Deployment.class, "gantry-shop");
    d.setStatus(new DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(1).build());
    client.resource(d).updateStatus();
  }

  Condition condition(String type) {
    LoadBalancerStatus s = cluster.loadBalancer("shop").getStatus();
    return s == null ? null : s.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElse(null);
  }

  @Test
  void applyServeChangeUnderLoadDelete() throws Exception {
    long applied = System.nanoTime();
    LoadBalancerResource lb = cluster.apply(shop("forum"));
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).ignoreExceptions()
        .until(() -> get("/community/x").equals("200 forum"));
    long applyToTraffic = (System.nanoTime() - applied) / 1_000_000;
    System.out.println("whole path: apply to traffic " + applyToTraffic + " ms");
    assertThat(get("/")).isEqualTo("200 main");
    assertThat(get("/communityx")).isEqualTo("200 main");

    fleetComesUp();
    await().atMost(Duration.ofSeconds(30)).until(() -> condition("Ready") != null
        && condition("Ready").status().equals("True"));
    assertThat(condition("Ready").message()).isEqualTo("1 proxy pod(s) serve generation 1");
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.loadBalancer("shop").getStatus().readyReplicas() == 1);

    // a route change under load: traffic shifts, no request fails
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger requests = new AtomicInteger();
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    List<Thread> load = List.of(loadThread(running, failures, requests, seen), loadThread(running, failures,
        requests, seen));
    load.forEach(Thread::start);
    await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() > 50);
    long changed = System.nanoTime();
    cluster.apply(shop("forum-next"));
    int before = forumNext.seen().size();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
        .until(() -> forumNext.seen().size() > before);
    long changeToTraffic = (System.nanoTime() - changed) / 1_000_000;
    await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() > 200 + before);
    running.set(false);
    for (Thread t : load) {
      t.join(10_000);
    }
    System.out.println("whole path: route change to traffic " + changeToTraffic + " ms, " + requests.get()
        + " requests under load, " + failures.get() + " failed");
    assertThat(failures.get()).isZero();
    assertThat(get("/community")).isEqualTo("200 forum-next");
    await().atMost(Duration.ofSeconds(30)).until(() -> condition("Ready").status().equals("True")
        && condition("Ready").observedGeneration() == 2);

    // delete: everything owned goes with it
    String uid = lb.getMetadata().getUid();
    cluster.deleteLoadBalancer("shop");
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.loadBalancer("shop") == null);
    List<String> collected = GarbageCollector.collect(client, Cluster.NS, List.of());
    assertThat(collected).containsExactlyInAnyOrder("ConfigMap/gantry-shop-model", "Secret/gantry-shop-tls",
        "Deployment/gantry-shop", "Service/gantry-shop", "ServiceAccount/gantry-shop", "Role/gantry-shop",
        "RoleBinding/gantry-shop", "PodDisruptionBudget/gantry-shop");
    assertThat(GarbageCollector.remaining(client, Cluster.NS, FleetNames.MANAGED_SELECTOR)).isEmpty();
    assertThat(uid).isNotNull();
  }

  Thread loadThread(AtomicBoolean running, AtomicInteger failures, AtomicInteger requests, Map<String, Integer> seen) {
    return new Thread(() -> {
      while (running.get()) {
        try {
          String r = get("/community/item");
          if (!r.equals("200 forum") && !r.equals("200 forum-next")) {
            failures.incrementAndGet();
            System.out.println("whole path: unexpected answer " + r);
          }
          seen.merge(r, 1, Integer::sum);
        } catch (Exception e) {
          failures.incrementAndGet();
          System.out.println("whole path: request failed " + e);
        }
        requests.incrementAndGet();
      }
    }, "load");
  }
}
