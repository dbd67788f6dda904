package dev.gantry.operator.wholepath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.servicelb.ServiceLoadBalancers;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.ControlPlaneExtension;
import dev.gantry.operator.testing.GantryRelease;
import dev.gantry.operator.testing.LocalAddresses;
import dev.gantry.operator.testing.PodProcess;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.TcpBackend;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Service of type LoadBalancer and class gantry.dev/lb on the whole path, on the real control plane: the
 * operator makes its LoadBalancer and fleet, the fleet's pod runs as a local process on a "node" address,
 * TCP passes through it to the Service's endpoint, and the node's address becomes the Service's external
 * address.
 */
@ExtendWith(ControlPlaneExtension.class)
class ServiceLoadBalancerWholePathIT {

  KubernetesClient client;
  Cluster cluster;
  GantryRelease gantry;
  LocalAddresses addresses;
  GantryOperator operator;
  PodProcess pod;
  TcpBackend echo;
  String nodeIp;
  int port;

  @BeforeEach
  void start(GantryRelease gantry, LocalAddresses addresses) throws Exception {
    this.gantry = gantry;
    this.addresses = addresses;
    cluster = Cluster.inNewNamespace(gantry.controlPlane(), "svclb-path");
    client = cluster.client();
    echo = TcpBackend.echo(InetAddress.getByName(addresses.address(12)));
    port = Ports.free();
    nodeIp = addresses.address(2);
    operator = gantry.startOperator(Set.of(cluster.namespace()), Ports.free());
  }

  @AfterEach
  void stop() {
    if (pod != null) {
      pod.close();
    }
    if (operator != null) {
      operator.close();
    }
    echo.close();
    client.namespaces().withName(cluster.namespace()).delete();
  }

  @Test
  void aServiceOfOurClassPassesTcpThroughAndGetsTheNodeAddress() throws Exception {
    long applied = System.nanoTime();
    // The Service's port is the listener's port; its endpoint is the echo server.
    client.resource(new ServiceBuilder()
        .withNewMetadata().withName("echo").withNamespace(cluster.namespace()).endMetadata()
        .withNewSpec().withType("LoadBalancer").withLoadBalancerClass(ServiceLoadBalancers.CLASS)
          .addNewPort().withName("echo").withPort(port).withNewTargetPort(echo.port()).withProtocol("TCP").endPort()
        .endSpec().build()).create();
    cluster.endpoints("echo", "echo", echo.port(), List.of(addresses.address(12)), List.of());
    pod = PodProcess.runFleetPod(gantry.controlPlane(), cluster, "gantry-svc-echo", addresses.address(22), nodeIp);

    // the fleet binds the Service's port on its node (hostPort): traffic goes to the node's address
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
        .until(() -> roundTrip("ping").equals("ping"));
    System.out.println("service load balancer whole path: Service created to TCP through "
        + (System.nanoTime() - applied) / 1_000_000 + " ms");
    String big = "x".repeat(200_000);
    assertThat(roundTrip(big)).isEqualTo(big);

    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(client.services()
        .inNamespace(cluster.namespace()).withName("echo").get().getStatus().getLoadBalancer().getIngress())
        .singleElement().satisfies(i -> assertThat(i.getIp()).isEqualTo(nodeIp)));
  }

  /** Sends {@code text} to the node's port, half-closes, and reads what comes back. */
  String roundTrip(String text) throws Exception {
    try (Socket s = new Socket(nodeIp, port)) {
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
