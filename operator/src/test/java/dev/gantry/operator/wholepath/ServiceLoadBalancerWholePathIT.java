package dev.gantry.operator.wholepath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.servicelb.ServiceLoadBalancers;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.translate.FleetNames;
import dev.gantry.operator.translate.FleetSettings;
import dev.gantry.proxy.GantryProxy;
import dev.gantry.proxy.ProxyOptions;
import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.cluster.ClusterConfigSource;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.TcpBackend;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Service of type LoadBalancer and class gantry.dev/lb on the whole path: the operator makes its
 * LoadBalancer, a proxy in cluster mode serves it, and TCP passes through to the Service's endpoint; the
 * node of the ready proxy pod becomes the Service's external address.
 */
@EnableKubernetesMockClient(crud = true)
class ServiceLoadBalancerWholePathIT {

  KubernetesClient client;
  Cluster cluster;
  GantryOperator operator;
  GantryProxy proxy;
  ClusterConfigSource source;
  TcpBackend echo;
  int port;

  @BeforeEach
  void start() throws Exception {
    cluster = new Cluster(client).installCrd();
    echo = TcpBackend.echo();
    port = Ports.free();
    int adminPort = Ports.free();
    operator = new GantryOperator(new GantryOperator.Config(client, Set.of(Cluster.NS),
        new FleetSettings("gantry/proxy:test", "IfNotPresent", adminPort), Optional.empty(),
        new SimpleMeterRegistry(), false)).start();
    String lb = ServiceLoadBalancers.loadBalancerName("echo");
    FleetNames names = FleetNames.of(Cluster.NS, lb);
    proxy = GantryProxy.start(new ProxyOptions("127.0.0.1", "127.0.0.1", adminPort, 2, "auto"), AccessLog.disabled());
    source = new ClusterConfigSource(client, Cluster.NS, lb, names.modelConfigMap(), names.tlsSecret(), proxy)
        .start();
  }

  @AfterEach
  void stop() {
    source.close();
    proxy.close();
    operator.close();
    echo.close();
  }

  @Test
  void aServiceOfOurClassPassesTcpThroughAndGetsTheNodeAddress() throws Exception {
    long applied = System.nanoTime();
    // The Service's port is the listener's port; its endpoint is the echo server.
    client.resource(new ServiceBuilder()
        .withNewMetadata().withName("echo").withNamespace(Cluster.NS).endMetadata()
        .withNewSpec().withType("LoadBalancer").withLoadBalancerClass(ServiceLoadBalancers.CLASS)
          .addNewPort().withName("echo").withPort(port).withNewTargetPort(echo.port()).withProtocol("TCP").endPort()
        .endSpec().build()).create();
    cluster.endpoints("echo", "echo", echo.port(), List.of("127.0.0.1"), List.of());

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
        .until(() -> roundTrip("ping").equals("ping"));
    System.out.println("service load balancer whole path: Service created to TCP through "
        + (System.nanoTime() - applied) / 1_000_000 + " ms");
    String big = "x".repeat(200_000);
    assertThat(roundTrip(big)).isEqualTo(big);

    cluster.readyPod("gantry-svc-echo-1", ServiceLoadBalancers.loadBalancerName("echo"), "gantry-svc-echo",
        "10.42.0.9", "192.0.2.21");
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(client.services()
        .inNamespace(Cluster.NS).withName("echo").get().getStatus().getLoadBalancer().getIngress())
        .singleElement().satisfies(i -> assertThat(i.getIp()).isEqualTo("192.0.2.21")));
  }

  /** Sends {@code text} through the listener, half-closes, and reads what comes back. */
  String roundTrip(String text) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(text.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      s.shutdownOutput();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }
}
