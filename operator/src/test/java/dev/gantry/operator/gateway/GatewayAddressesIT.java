package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.gantry.operator.gateway.GatewayApiOperator.condition;
import static dev.gantry.operator.gateway.GatewayApiOperator.eventually;

import dev.gantry.model.Condition;
import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.gateway.api.GatewayClassResource;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.status.StatusAggregator;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.ControlPlane;
import dev.gantry.operator.testing.ControlPlaneExtension;
import dev.gantry.operator.testing.GantryRelease;
import dev.gantry.operator.translate.FleetNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Gateway's {@code spec.addresses} on the real API server, whose allocator decides which cluster IPs can be had:
 * a usable address becomes the fleet Service's cluster IP and the Gateway's address, an unusable one (outside the
 * Service CIDR, or another Service's) is {@code AddressNotUsable} while the rest of the fleet is still made, and
 * another address replaces the Service.
 */
@ExtendWith(ControlPlaneExtension.class)
class GatewayAddressesIT {

  GatewayApiOperator gateways;
  KubernetesClient client;
  Cluster cluster;
  String serviceCidr;

  @BeforeEach
  void start(GantryRelease gantry) throws IOException {
    gateways = GatewayApiOperator.start(gantry, "gw-addr");
    cluster = gateways.namespace(0);
    client = gateways.client();
    // the API server's --service-cluster-ip-range, as the scripts that start it set it
    serviceCidr = Files.readAllLines(ControlPlane.scripts().resolve("lib.sh")).stream()
        .filter(l -> l.startsWith("SERVICE_CIDR=")).findFirst().orElseThrow().substring("SERVICE_CIDR=".length());
  }

  @AfterEach
  void stop() {
    if (gateways != null) {
      gateways.close();
    }
  }

  void gateway(String className, String address) {
    gateways.apply(GatewayResource.class, cluster.namespace(), """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: edge}
        spec:
          gatewayClassName: %s
          addresses: [{type: IPAddress, value: "%s"}]
          listeners: [{name: http, port: 8080, protocol: HTTP}]
        """.formatted(className, address));
  }


  /** An address in the static band at the bottom of the Service CIDR, which the allocator's own picks take last. */
  String inServiceCidr(int last) {
    String[] octets = serviceCidr.substring(0, serviceCidr.indexOf('/')).split("\\.");
    return octets[0] + "." + octets[1] + "." + octets[2] + "." + last;
  }

  @Test
  void aUsableAddressIsTheServicesClusterIpAnUnusableOneIsNotAndAnotherOneReplacesTheService() {
    String className = cluster.namespace() + "-class";
    String ns = cluster.namespace();
    FleetNames fleet = FleetNames.of(ns, GatewayLoadBalancers.name("edge"));
    assertThat(serviceCidr).endsWith("/16");
    try {
      client.resource(client.getKubernetesSerialization().unmarshal("""
          apiVersion: gateway.networking.k8s.io/v1
          kind: GatewayClass
          metadata: {name: %s}
          spec: {controllerName: gantry.dev/gateway-controller}
          """.formatted(className), GatewayClassResource.class)).fieldManager(Cluster.USER).forceConflicts()
          .serverSideApply();

      // TEST-NET-1, outside the Service CIDR: refused by the API server, the rest of the fleet is still made
      gateway(className, "192.0.2.10");
      eventually().untilAsserted(() -> {
        LoadBalancerResource lb = cluster.loadBalancer(fleet.loadBalancer());
        assertThat(lb.getSpec().service().addressesOrEmpty()).containsExactly("192.0.2.10");
        Condition programmed = StatusAggregator.find(lb.getStatus(), StatusAggregator.PROGRAMMED);
        assertThat(programmed.reason()).isEqualTo("AddressNotUsable");
        assertThat(programmed.message()).contains("192.0.2.10", "the API server refused");
        GatewayResource gw = cluster.get(GatewayResource.class, "edge");
        assertThat(condition(gw.getStatus().conditions(), "Accepted").status()).isEqualTo("True");
        Condition gwProgrammed = condition(gw.getStatus().conditions(), "Programmed");
        assertThat(gwProgrammed.status()).isEqualTo("False");
        assertThat(gwProgrammed.reason()).isEqualTo("AddressNotUsable");
        assertThat(gwProgrammed.message()).contains("192.0.2.10");
        assertThat(gw.getStatus().addresses()).isNullOrEmpty();
        assertThat(cluster.get(Deployment.class, fleet.deployment())).isNotNull();
        assertThat(cluster.get(ConfigMap.class, fleet.modelConfigMap())).isNotNull();
        assertThat(cluster.get(Service.class, fleet.service())).isNull();
      });

      // an address another Service holds: refused too
      String taken = inServiceCidr(213);
      client.resource(new ServiceBuilder().withNewMetadata().withName("holder").withNamespace(ns).endMetadata()
          .withNewSpec().withClusterIP(taken).addNewPort().withPort(80).endPort().endSpec().build()).create();
      gateway(className, taken);
      eventually().untilAsserted(() -> {
        Condition programmed = condition(cluster.get(GatewayResource.class, "edge").getStatus().conditions(),
            "Programmed");
        assertThat(programmed.reason()).isEqualTo("AddressNotUsable");
        assertThat(programmed.message()).contains(taken, "allocated");
        assertThat(cluster.get(Service.class, fleet.service())).isNull();
      });

      String usable = inServiceCidr(211);
      gateway(className, usable);
      Service first = eventually().until(() -> cluster.get(Service.class, fleet.service()), s -> s != null);
      assertThat(first.getSpec().getClusterIPs()).containsExactly(usable);
      eventually().untilAsserted(() -> {
        GatewayResource gw = cluster.get(GatewayResource.class, "edge");
        assertThat(gw.getStatus().addresses()).containsExactly(new GatewayResource.Address("IPAddress", usable));
        // no proxy pod runs here: the Gateway waits for its fleet, no longer for its address
        assertThat(condition(gw.getStatus().conditions(), "Programmed").reason()).isEqualTo("Pending");
        assertThat(StatusAggregator.find(cluster.loadBalancer(fleet.loadBalancer()).getStatus(),
            StatusAggregator.PROGRAMMED).status()).isEqualTo("True");
      });

      // a cluster IP cannot change in place: the Service is replaced
      String other = inServiceCidr(212);
      gateway(className, other);
      eventually().untilAsserted(() -> {
        Service now = cluster.get(Service.class, fleet.service());
        assertThat(now.getSpec().getClusterIPs()).containsExactly(other);
        assertThat(now.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
        GatewayResource gw = cluster.get(GatewayResource.class, "edge");
        assertThat(gw.getStatus().addresses()).containsExactly(new GatewayResource.Address("IPAddress", other));
      });

      // an address the API server refuses leaves the current Service as it is, serving
      String uid = cluster.get(Service.class, fleet.service()).getMetadata().getUid();
      gateway(className, "192.0.2.11");
      eventually().untilAsserted(() -> {
        GatewayResource gw = cluster.get(GatewayResource.class, "edge");
        assertThat(condition(gw.getStatus().conditions(), "Programmed").message()).contains("192.0.2.11");
        Service now = cluster.get(Service.class, fleet.service());
        assertThat(now.getMetadata().getUid()).isEqualTo(uid);
        assertThat(now.getSpec().getClusterIPs()).containsExactly(other);
        assertThat(gw.getStatus().addresses()).containsExactly(new GatewayResource.Address("IPAddress", other));
      });
    } finally {
      client.resources(GatewayClassResource.class).withName(className).delete();
    }
  }
}
