package dev.gantry.operator.testing;

import dev.gantry.operator.api.LoadBalancerResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** What a test puts into fabric8's mock API server, as a cluster's users and controllers would. */
public final class Cluster {

  public static final String NS = "web";

  private final KubernetesClient client;

  public Cluster(KubernetesClient client) {
    this.client = client;
  }

  public KubernetesClient client() {
    return client;
  }

  /** Installs the checked-in CRD, as {@code kubectl apply -f crds/} would. */
  public Cluster installCrd() {
    try {
      CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(
          Files.readString(Path.of("..", "crds", "loadbalancers.gantry.dev.yaml")), CustomResourceDefinition.class);
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      return this;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Creates or replaces a LoadBalancer given as YAML (namespace {@link #NS} unless it says otherwise). */
  public LoadBalancerResource apply(String yaml) {
    LoadBalancerResource lb = client.getKubernetesSerialization().unmarshal(yaml, LoadBalancerResource.class);
    if (lb.getMetadata().getNamespace() == null) {
      lb.getMetadata().setNamespace(NS);
    }
    LoadBalancerResource existing = loadBalancer(lb.getMetadata().getName());
    if (existing == null) {
      return client.resource(lb).create();
    }
    existing.setSpec(lb.getSpec());
    return client.resource(existing).update();
  }

  public LoadBalancerResource loadBalancer(String name) {
    return client.resources(LoadBalancerResource.class).inNamespace(NS).withName(name).get();
  }

  public void deleteLoadBalancer(String name) {
    client.resources(LoadBalancerResource.class).inNamespace(NS).withName(name).delete();
  }

  public <T extends HasMetadata> T get(Class<T> type, String name) {
    return client.resources(type).inNamespace(NS).withName(name).get();
  }

  public Service service(String name, int port, String portName, int targetPort) {
    return client.resource(new ServiceBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withType("ClusterIP")
          .addNewPort().withName(portName).withPort(port).withNewTargetPort(targetPort).withProtocol("TCP").endPort()
        .endSpec()
        .build()).createOr(r -> r.update());
  }

  /** An EndpointSlice of a Service, as the EndpointSlice controller writes it. */
  public EndpointSlice endpoints(String service, String portName, int port, List<String> ready, List<String> notReady) {
    EndpointSliceBuilder b = new EndpointSliceBuilder()
        .withNewMetadata().withName(service + "-abc").withNamespace(NS)
          .withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName(portName).withPort(port).withProtocol("TCP").endPort();
    ready.forEach(a -> b.addToEndpoints(new EndpointBuilder().withAddresses(a).withNewConditions().withReady(true)
        .endConditions().build()));
    notReady.forEach(a -> b.addToEndpoints(new EndpointBuilder().withAddresses(a).withNewConditions().withReady(false)
        .endConditions().build()));
    return client.resource(b.build()).createOr(r -> r.update());
  }

  public Secret tlsSecret(String name, String certPem, String keyPem) {
    Base64.Encoder e = Base64.getEncoder();
    return client.resource(new SecretBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withType("kubernetes.io/tls")
        .withData(Map.of("tls.crt", e.encodeToString(certPem.getBytes(StandardCharsets.US_ASCII)),
            "tls.key", e.encodeToString(keyPem.getBytes(StandardCharsets.US_ASCII))))
        .build()).createOr(r -> r.update());
  }

  /** A Ready proxy pod of a fleet at {@code ip}, as the ReplicaSet controller and the kubelet would report. */
  public void readyPod(String name, String loadBalancer, String fleetInstance, String ip) {
    readyPod(name, loadBalancer, fleetInstance, ip, null);
  }

  /** The same, on a node with address {@code hostIp}. */
  public void readyPod(String name, String loadBalancer, String fleetInstance, String ip, String hostIp) {
    client.resource(new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(NS)
          .withLabels(Map.of("app.kubernetes.io/name", "gantry-proxy", "app.kubernetes.io/instance", fleetInstance))
          .withAnnotations(Map.of("gantry.dev/load-balancer", loadBalancer))
        .endMetadata()
        .withNewSpec().addNewContainer().withName("proxy").withImage("gantry/proxy:test").endContainer().endSpec()
        .withNewStatus().withPodIP(ip).withHostIP(hostIp).withPhase("Running")
          .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .endStatus()
        .build()).createOr(r -> r.update());
  }
}
