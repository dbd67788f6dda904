package dev.gantry.operator.servicelb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.model.Listener;
import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.ControlPlaneExtension;
import dev.gantry.operator.testing.GantryRelease;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Services of type LoadBalancer and class gantry.dev/lb get a Gantry load balancer of their own; on the real
 * API server, as the chart's ServiceAccount, with the real garbage collector.
 */
@ExtendWith(ControlPlaneExtension.class)
class ServiceLoadBalancerIT {

  KubernetesClient client;
  Cluster cluster;
  GantryOperator operator;

  @BeforeEach
  void start(GantryRelease gantry) {
    cluster = Cluster.inNewNamespace(gantry.controlPlane(), "svclb");
    client = cluster.client();
    operator = gantry.startOperator(Set.of(cluster.namespace()), 8404);
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

  Service service(String name, String loadBalancerClass) {
    ServiceBuilder b = new ServiceBuilder()
        .withNewMetadata().withName(name).withNamespace(cluster.namespace()).endMetadata()
        .withNewSpec().withType("LoadBalancer").withLoadBalancerClass(loadBalancerClass)
          .addNewPort().withName("pg").withPort(5432).withNewTargetPort(5432).withProtocol("TCP").endPort()
          .addNewPort().withName("admin").withPort(9090).withNewTargetPort(9090).withProtocol("TCP").endPort()
          .addNewPort().withName("dns").withPort(53).withNewTargetPort(53).withProtocol("UDP").endPort()
        .endSpec();
    return client.resource(b.build()).create();
  }

  LoadBalancerResource lbFor(String service) {
    return cluster.loadBalancer(ServiceLoadBalancers.loadBalancerName(service));
  }

  List<String> warningsOn(String service) {
    return client.v1().events().inNamespace(cluster.namespace()).list().getItems().stream()
        .filter(e -> service.equals(e.getInvolvedObject().getName()) && "Service".equals(e.getInvolvedObject().getKind()))
        .map(Event::getMessage).toList();
  }

  @Test
  void aServiceOfOurClassGetsATcpLoadBalancerAndAnAddress() {
    Service db = service("db", ServiceLoadBalancers.CLASS);
    eventually().until(() -> lbFor("db") != null);
    LoadBalancerResource lb = lbFor("db");
    assertThat(lb.getSpec().listeners()).extracting(Listener::name, Listener::port, l -> l.protocol().name())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("port-5432", 5432, "TCP"),
            org.assertj.core.groups.Tuple.tuple("port-9090", 9090, "TCP"));
    assertThat(lb.getSpec().backends()).extracting(b -> b.service().name() + ":" + b.service().port())
        .containsExactly("db:pg", "db:admin");
    assertThat(lb.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(r -> assertThat(r.getUid()).isEqualTo(db.getMetadata().getUid()));

    // The UDP port is reported and does not stop the TCP ones.
    eventually().untilAsserted(() -> assertThat(warningsOn("db")).singleElement().satisfies(m -> assertThat(m)
        .contains("port dns 53 is UDP")));

    // Its fleet binds the ports on its nodes.
    eventually().until(() -> cluster.get(Deployment.class, "gantry-svc-db") != null);
    assertThat(cluster.get(Deployment.class, "gantry-svc-db").getSpec().getTemplate().getSpec().getContainers().get(0)
        .getPorts()).filteredOn(p -> p.getContainerPort() == 5432)
        .singleElement().satisfies(p -> assertThat(p.getHostPort()).isEqualTo(5432));

    // A proxy pod becomes ready on a node: the node's address is the Service's external address.
    eventually().until(() -> !cluster.fleetPods("gantry-svc-db").isEmpty());
    cluster.reportRunningAndReady(cluster.fleetPods("gantry-svc-db").get(0), "198.18.128.7", "192.0.2.10");
    eventually().untilAsserted(() -> assertThat(client.services().inNamespace(cluster.namespace()).withName("db").get()
        .getStatus().getLoadBalancer().getIngress()).singleElement()
        .satisfies(i -> assertThat(i.getIp()).isEqualTo("192.0.2.10")));
  }

  @Test
  void servicesOfOtherClassesAreLeftAlone() throws Exception {
    service("theirs", "example.com/other");
    service("cloud", null);
    service("ours", ServiceLoadBalancers.CLASS);
    eventually().until(() -> lbFor("ours") != null);
    Thread.sleep(500);
    assertThat(lbFor("theirs")).isNull();
    assertThat(lbFor("cloud")).isNull();
    // Nothing written into the status of a Service that is not ours.
    Service theirs = client.services().inNamespace(cluster.namespace()).withName("theirs").get();
    assertThat(theirs.getStatus().getLoadBalancer().getIngress()).isNullOrEmpty();
    assertThat(warningsOn("theirs")).isEmpty();
  }

  @Test
  void theLoadBalancerGoesWithItsServiceOrWhenTheServiceChangesClass() {
    Service db = service("db", ServiceLoadBalancers.CLASS);
    eventually().until(() -> lbFor("db") != null);
    // The class can be dropped by changing the type (loadBalancerClass is immutable on a LoadBalancer).
    db = client.services().inNamespace(cluster.namespace()).withName("db").get();
    db.getSpec().setType("ClusterIP");
    db.getSpec().setLoadBalancerClass(null);
    client.resource(db).update();
    eventually().until(() -> lbFor("db") == null);

    Service cache = service("cache", ServiceLoadBalancers.CLASS);
    eventually().until(() -> lbFor("cache") != null);
    client.resource(cache).delete();
    // the garbage collector removes the LoadBalancer the Service owned, and with it its fleet
    eventually().until(() -> lbFor("cache") == null);
    eventually().until(() -> cluster.get(Deployment.class, "gantry-svc-cache") == null);
  }
}
