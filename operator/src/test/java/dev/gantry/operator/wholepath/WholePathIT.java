package dev.gantry.operator.wholepath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.model.Condition;
import dev.gantry.model.LoadBalancerStatus;
import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.ControlPlane;
import dev.gantry.operator.testing.ControlPlaneExtension;
import dev.gantry.operator.testing.GantryRelease;
import dev.gantry.operator.testing.LocalAddresses;
import dev.gantry.operator.testing.PodProcess;
import dev.gantry.operator.testing.Traffic;
import dev.gantry.operator.translate.FleetNames;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.TestBackend;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole path on the real control plane: the operator (as the chart's ServiceAccount) writes a fleet, the
 * Deployment and ReplicaSet controllers make its pod, and the pod runs as a local process with exactly the
 * arguments and environment of the container the operator wrote, as the fleet's ServiceAccount (so the Role
 * the operator wrote is what lets it read its model). Real backends stand behind EndpointSlices. Apply, and
 * traffic flows by path; change a route under load, and no request fails; stop kube-apiserver under load,
 * and traffic keeps flowing, and once it is back the next change still reaches the proxy; delete, and the
 * garbage collector removes everything the LoadBalancer owned.
 */
@ExtendWith(ControlPlaneExtension.class)
class WholePathIT {

  ControlPlane controlPlane;
  Cluster cluster;
  GantryOperator operator;
  PodProcess pod;
  TestBackend main;
  TestBackend forum;
  TestBackend forumNext;
  String podIp;
  String nodeIp;
  int port;
  Traffic traffic;

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
  void start(GantryRelease gantry, LocalAddresses addresses) {
    controlPlane = gantry.controlPlane();
    cluster = Cluster.inNewNamespace(controlPlane, "whole");
    String backendIp = addresses.address(10);
    main = TestBackend.start("main", backendIp, 0);
    forum = TestBackend.start("forum", backendIp, 0);
    forumNext = TestBackend.start("forum-next", backendIp, 0);
    for (TestBackend b : List.of(main, forum, forumNext)) {
      cluster.service(b.name(), 80, "http", b.port());
      cluster.endpoints(b.name(), "http", b.port(), List.of(backendIp), List.of());
    }
    nodeIp = addresses.address(1);
    podIp = addresses.address(20);
    port = Ports.free();
    operator = gantry.startOperator(Set.of(cluster.namespace()), Ports.free());
    traffic = new Traffic(podIp, port, "shop.example.com");
  }

  @AfterEach
  void stop() {
    traffic.close();
    if (pod != null) {
      pod.close();
    }
    if (operator != null) {
      operator.close();
    }
    List.of(main, forum, forumNext).forEach(TestBackend::close);
    cluster.client().namespaces().withName(cluster.namespace()).delete();
  }

  Condition condition(String type) {
    LoadBalancerStatus s = cluster.loadBalancer("shop").getStatus();
    return s == null ? null : s.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElse(null);
  }

  @Test
  void applyServeChangeUnderLoadOutliveTheApiServerDelete() throws Exception {
    long applied = System.nanoTime();
    cluster.apply(shop("forum"));
    // the Deployment controller and the ReplicaSet controller make the pod; it runs here as its kubelet would
    pod = PodProcess.runFleetPod(controlPlane, cluster, "gantry-shop", podIp, nodeIp);
    Pod scheduled = pod.pod();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).ignoreExceptions()
        .until(() -> traffic.get("/community/x").equals("200 forum"));
    long applyToTraffic = (System.nanoTime() - applied) / 1_000_000;
    System.out.println("whole path: apply to traffic " + applyToTraffic + " ms (pod process started by the test)");
    assertThat(traffic.get("/")).isEqualTo("200 main");
    assertThat(traffic.get("/communityx")).isEqualTo("200 main");

    // what the pod runs is exactly what the operator wrote into the Deployment
    Deployment d = cluster.get(Deployment.class, "gantry-shop");
    assertThat(scheduled.getSpec().getContainers().get(0).getArgs())
        .isEqualTo(d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsSubsequence("cluster", "--namespace", cluster.namespace(), "--name", "shop");

    await().atMost(Duration.ofSeconds(30)).until(() -> condition("Ready") != null
        && condition("Ready").status().equals("True"));
    assertThat(condition("Ready").message()).isEqualTo("1 proxy pod(s) serve generation 1");
    // counted by the real ReplicaSet and Deployment controllers from the pod's Ready condition
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.loadBalancer("shop").getStatus().readyReplicas() == 1);

    // a route change under load: traffic shifts, no request fails
    traffic.startLoad("/community/item", "200 forum", "200 forum-next");
    traffic.awaitRequests(50);
    long changed = System.nanoTime();
    cluster.apply(shop("forum-next"));
    int before = forumNext.seen().size();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
        .until(() -> forumNext.seen().size() > before);
    long changeToTraffic = (System.nanoTime() - changed) / 1_000_000;
    traffic.awaitRequests(200);
    System.out.println("whole path: route change to traffic " + changeToTraffic + " ms, " + traffic.summary());
    assertThat(traffic.failures()).isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> condition("Ready").status().equals("True")
        && condition("Ready").observedGeneration() == 2);

    // kube-apiserver stopped under load: the proxy keeps serving what it has
    int sent = traffic.requests();
    controlPlane.stopApiServer();
    Thread.sleep(3000);
    traffic.awaitRequests(sent + 100);
    System.out.println("whole path: kube-apiserver down for 3 s, " + (traffic.requests() - sent)
        + " requests meanwhile, " + traffic.failures() + " failed in all");
    assertThat(traffic.failures()).isZero();
    controlPlane.restartStopped();
    // ... and once it is back, the next change reaches the proxy
    long restored = System.nanoTime();
    int forumBefore = forum.seen().size();
    cluster.apply(shop("forum"));
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
        .until(() -> forum.seen().size() > forumBefore);
    System.out.println("whole path: change after the API server came back reached the proxy in "
        + (System.nanoTime() - restored) / 1_000_000 + " ms");
    traffic.stopLoad();
    System.out.println("whole path: " + traffic.summary());
    assertThat(traffic.failures()).isZero();
    assertThat(pod.alive()).isTrue();

    // delete: the garbage collector removes everything the LoadBalancer owned, the pod with its ReplicaSet
    cluster.deleteLoadBalancer("shop");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(cluster.remaining(
        FleetNames.MANAGED_SELECTOR)).isEmpty());
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.fleetPods("gantry-shop").isEmpty());
  }
}
