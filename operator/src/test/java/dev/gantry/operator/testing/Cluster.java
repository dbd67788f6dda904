package dev.gantry.operator.testing;

import dev.gantry.operator.api.LoadBalancerResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * What a test puts into one namespace of the cluster, as the cluster's users and its other controllers would:
 * LoadBalancers applied server-side, Services without selectors whose EndpointSlices the test manages, TLS
 * Secrets, and what a kubelet reports of the pods it runs.
 */
public final class Cluster {

  /** The field manager of what tests apply, as {@code kubectl apply --server-side} would be. */
  public static final String USER = "gantry-test-user";
  /** EndpointSlices the tests write carry this manager, so the cluster's own controllers leave them alone. */
  static final String SLICE_MANAGER = "gantry-tests";

  private final KubernetesClient client;
  private final String namespace;

  public Cluster(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** A fresh namespace of the control plane, used as its admin. */
  public static Cluster inNewNamespace(ControlPlane controlPlane, String prefix) {
    return new Cluster(controlPlane.admin(), controlPlane.createNamespace(prefix));
  }

  public KubernetesClient client() {
    return client;
  }

  public String namespace() {
    return namespace;
  }

  /** Applies a LoadBalancer given as YAML server-side (namespace {@link #namespace()} unless it names one). */
  public LoadBalancerResource apply(String yaml) {
    LoadBalancerResource lb = client.getKubernetesSerialization().unmarshal(yaml, LoadBalancerResource.class);
    if (lb.getMetadata().getNamespace() == null) {
      lb.getMetadata().setNamespace(namespace);
    }
    return client.resource(lb).fieldManager(USER).forceConflicts().serverSideApply();
  }

  public LoadBalancerResource loadBalancer(String name) {
    return client.resources(LoadBalancerResource.class).inNamespace(namespace).withName(name).get();
  }

  public void deleteLoadBalancer(String name) {
    client.resources(LoadBalancerResource.class).inNamespace(namespace).withName(name).delete();
  }

  public <T extends HasMetadata> T get(Class<T> type, String name) {
    return client.resources(type).inNamespace(namespace).withName(name).get();
  }

  /** A Service without a selector: its endpoints are whatever {@link #endpoints} says. */
  public Service service(String name, int port, String portName, int targetPort) {
    return client.resource(new ServiceBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewSpec().withType("ClusterIP")
          .addNewPort().withName(portName).withPort(port).withNewTargetPort(targetPort).withProtocol("TCP").endPort()
        .endSpec()
        .build()).createOr(r -> r.update());
  }

  /** The EndpointSlice of a selector-less Service, written as its owner would (not the cluster's controller). */
  public EndpointSlice endpoints(String service, String portName, int port, List<String> ready, List<String> notReady) {
    EndpointSliceBuilder b = new EndpointSliceBuilder()
        .withNewMetadata().withName(service + "-manual").withNamespace(namespace)
          .withLabels(Map.of("kubernetes.io/service-name", service,
              "endpointslice.kubernetes.io/managed-by", SLICE_MANAGER)).endMetadata()
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
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withType("kubernetes.io/tls")
        .withData(Map.of("tls.crt", e.encodeToString(certPem.getBytes(StandardCharsets.US_ASCII)),
            "tls.key", e.encodeToString(keyPem.getBytes(StandardCharsets.US_ASCII))))
        .build()).createOr(r -> r.update());
  }

  /** The pods of a fleet (label {@code app.kubernetes.io/instance}), as the ReplicaSet controller made them. */
  public List<Pod> fleetPods(String fleetInstance) {
    return client.pods().inNamespace(namespace).withLabel("app.kubernetes.io/instance", fleetInstance).list()
        .getItems();
  }

  /**
   * What a kubelet reports once a pod's containers run and pass their readiness probe: phase Running, the pod
   * at {@code podIp} on a node at {@code hostIp}, and the Ready condition. No kubelet runs here, so the test
   * writes the status subresource the way one would.
   */
  public Pod reportRunningAndReady(Pod pod, String podIp, String hostIp) {
    String now = Instant.now().toString();
    List<PodCondition> conditions = new ArrayList<>();
    for (String type : List.of("Initialized", "ContainersReady", "Ready", "PodScheduled")) {
      conditions.add(new PodConditionBuilder().withType(type).withStatus("True").withLastTransitionTime(now).build());
    }
    return client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).editStatus(p -> {
      p.getStatus().setPhase("Running");
      p.getStatus().setPodIP(podIp);
      p.getStatus().setPodIPs(List.of(new PodIPBuilder().withIp(podIp).build()));
      p.getStatus().setHostIP(hostIp);
      p.getStatus().setHostIPs(hostIp == null ? null : List.of(new io.fabric8.kubernetes.api.model.HostIPBuilder()
          .withIp(hostIp).build()));
      p.getStatus().setStartTime(now);
      p.getStatus().setConditions(conditions);
      return p;
    });
  }

  /** Objects of the fleet kinds in the namespace with the given label selector, as Kind/name. */
  public List<String> remaining(String labelSelector) {
    List<String> left = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : FleetKinds.ALL) {
      for (HasMetadata o : client.resources(kind).inNamespace(namespace).withLabelSelector(labelSelector).list()
          .getItems()) {
        left.add(o.getKind() + "/" + o.getMetadata().getName());
      }
    }
    return left;
  }
}
