package dev.gantry.operator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.LoadBalancer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fleet's objects, computed from a plan with no API call. */
class FleetManifestsTest {

  static FleetPlan plan(String spec) {
    return plan(spec, false);
  }

  static FleetPlan plan(String spec, boolean hostPorts) {
    LoadBalancer lb = ModelResolverTest.lb(spec);
    return new FleetPlan(FleetNames.of("web", "shop"), 4, lb.spec(), ModelResolver.resolve(lb, ClusterRefs.NONE),
        new FleetSettings("registry/gantry-proxy:1.2", "Always", 9404), hostPorts);
  }

  static final String SPEC = """
      listeners:
      - {name: http, port: 80, protocol: HTTP, defaultBackend: web}
      - {name: very-long-listener-name, port: 8443, protocol: HTTP, defaultBackend: web}
      backends: [{name: web, endpoints: [{address: 10.9.9.9, port: 81}]}]
      deployment:
        replicas: 3
        resources: {requests: {cpu: 250m}, limits: {memory: 1Gi}}
        nodeSelector: {pool: edge}
        tolerations: [{key: edge, operator: Exists, effect: NoSchedule}]
      service: {type: NodePort, annotations: {a: b}}
      """;

  @Test
  void theDeploymentRunsTheProxyInClusterModeLockedDown() {
    Deployment d = DeploymentManifest.deployment(plan(SPEC));
    assertThat(d.getMetadata().getName()).isEqualTo("gantry-shop");
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(FleetNames.of("web", "shop").selector());
    var pod = d.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("registry/gantry-proxy:1.2");
    assertThat(c.getImagePullPolicy()).isEqualTo("Always");
    assertThat(c.getArgs()).containsExactly("cluster", "--namespace", "web", "--name", "shop", "--config-map",
        "gantry-shop-model", "--secret", "gantry-shop-tls", "--admin-port", "9404", "--shutdown-delay", "5s");
    assertThat(c.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("admin:9404");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(9404);
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getResources().getRequests()).containsOnlyKeys("cpu");
    assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSysctls()).extracting(s -> s.getName() + "=" + s.getValue())
        .containsExactly("net.ipv4.ip_unprivileged_port_start=0");
    assertThat(pod.getServiceAccountName()).isEqualTo("gantry-shop");
    assertThat(pod.getNodeSelector()).isEqualTo(Map.of("pool", "edge"));
    assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("edge"));
    assertThat(c.getVolumeMounts()).singleElement().satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(FleetNames.ANNOTATION_LOAD_BALANCER, "shop");
  }

  @Test
  void defaultsApplyAndThePodTemplateDoesNotFollowTheListeners() {
    Deployment d = DeploymentManifest.deployment(plan("""
        listeners: [{name: http, port: 8080, protocol: HTTP, defaultBackend: web}]
        backends: [{name: web, endpoints: [{address: 10.9.9.9, port: 81}]}]
        """));
    assertThat(d.getSpec().getReplicas()).isEqualTo(FleetSettings.DEFAULT_REPLICAS);
    // other listeners, one of them below 1024: the same pod template, so no pod is replaced
    Deployment moved = DeploymentManifest.deployment(plan("""
        listeners: [{name: web, port: 80, protocol: HTTP, defaultBackend: web},
                    {name: db, port: 5432, protocol: TCP, defaultBackend: web}]
        backends: [{name: web, endpoints: [{address: 10.9.9.9, port: 81}]}]
        """));
    assertThat(moved.getSpec().getTemplate()).isEqualTo(d.getSpec().getTemplate());
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits())
        .containsKey("memory");
    Service s = ServiceManifest.service(plan("""
        listeners: [{name: http, port: 8080, protocol: HTTP, defaultBackend: web}]
        backends: [{name: web, endpoints: [{address: 10.9.9.9, port: 81}]}]
        """));
    assertThat(s.getSpec().getType()).isEqualTo("LoadBalancer");
  }

  @Test
  void theServiceExposesTheListeners() {
    Service s = ServiceManifest.service(plan(SPEC));
    assertThat(s.getSpec().getType()).isEqualTo("NodePort");
    assertThat(s.getMetadata().getAnnotations()).isEqualTo(Map.of("a", "b"));
    assertThat(s.getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getPort() + "->" + p.getTargetPort()
        .getIntVal()).containsExactly("http:80->80", "very-long-listener-name:8443->8443");
  }

  @Test
  void addressesAskedForAreTheServicesClusterIpsAndAChangeReplacesIt() {
    String base = """
        listeners: [{name: http, port: 80, protocol: HTTP, defaultBackend: web}]
        backends: [{name: web, endpoints: [{address: 10.9.9.9, port: 81}]}]
        """;
    FleetPlan one = plan(base + "service: {type: ClusterIP, addresses: [198.19.0.200]}\n");
    Service s = ServiceManifest.service(one);
    assertThat(s.getSpec().getClusterIP()).isEqualTo("198.19.0.200");
    assertThat(s.getSpec().getClusterIPs()).containsExactly("198.19.0.200");
    assertThat(s.getSpec().getIpFamilyPolicy()).isNull();
    Service dual = ServiceManifest.service(plan(base + "service: {addresses: [198.19.0.200, \"fd00::20\"]}\n"));
    assertThat(dual.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(dual.getSpec().getClusterIPs()).containsExactly("198.19.0.200", "fd00::20");
    assertThat(dual.getSpec().getIpFamilyPolicy()).isEqualTo("RequireDualStack");
    Service none = ServiceManifest.service(plan(base));
    assertThat(none.getSpec().getClusterIP()).isNull();
    assertThat(none.getSpec().getClusterIPs()).isNullOrEmpty();

    assertThat(ServiceManifest.addressesChange(s, one)).isFalse();
    Service elsewhere = ServiceManifest.service(one);
    elsewhere.getSpec().setClusterIP("198.19.7.7");
    elsewhere.getSpec().setClusterIPs(java.util.List.of("198.19.7.7"));
    assertThat(ServiceManifest.addressesChange(elsewhere, one)).isTrue();
    // asking for none keeps whatever cluster IP the Service has
    assertThat(ServiceManifest.addressesChange(elsewhere, plan(base))).isFalse();
  }

  @Test
  void theRoleReadsOnlyItsOwnConfigMapAndSecret() {
    Role r = RbacManifests.role(plan(SPEC));
    assertThat(r.getRules()).extracting(p -> p.getResources() + " " + p.getResourceNames() + " " + p.getVerbs())
        .containsExactly("[configmaps] [gantry-shop-model] [get, list, watch]",
            "[secrets] [gantry-shop-tls] [get, list, watch]");
    assertThat(RbacManifests.roleBinding(plan(SPEC)).getSubjects()).singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("gantry-shop"));
  }

  @Test
  void modelAndKeysGoToTheirOwnObjects() {
    FleetPlan p = plan(SPEC);
    assertThat(ModelManifests.configMap(p).getData()).containsOnlyKeys("loadbalancer.json");
    assertThat(ModelManifests.configMap(p).getMetadata().getAnnotations()).containsEntry("gantry.dev/generation", "4");
    assertThat(ModelManifests.tlsSecret(p).getData()).isEmpty();
    assertThat(DisruptionBudgetManifest.podDisruptionBudget(p).getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
  }

  @Test
  void namesFitKubernetesLimits() {
    assertThat(FleetNames.of("web", "shop").base()).isEqualTo("gantry-shop");
    FleetNames dotted = FleetNames.of("web", "shop.v2");
    assertThat(dotted.base()).matches("gantry-shop-v2-[0-9a-f]{8}");
    FleetNames longName = FleetNames.of("web", "a".repeat(200));
    assertThat(longName.base()).hasSizeLessThanOrEqualTo(40).matches("[a-z0-9-]+");
    assertThat(longName.modelConfigMap()).hasSizeLessThanOrEqualTo(63);
    assertThat(FleetNames.of("web", "a".repeat(200)).base()).isNotEqualTo(FleetNames.of("web", "a".repeat(199)).base());
  }
  @Test
  void infrastructureLabelsAndAnnotationsGoOnEveryObjectOfTheFleet() {
    FleetPlan plan = plan("""
        listeners: [{name: http, port: 8080, protocol: HTTP, defaultBackend: web}]
        backends: [{name: web, endpoints: [{address: 10.9.9.9, port: 81}]}]
        service: {annotations: {svc: only}}
        infrastructure:
          labels: {example.com/team: edge}
          annotations: {example.com/owner: platform}
        """);
    Deployment d = DeploymentManifest.deployment(plan);
    Service s = ServiceManifest.service(plan);
    var sa = RbacManifests.serviceAccount(plan);
    for (var meta : java.util.List.of(d.getMetadata(), d.getSpec().getTemplate().getMetadata(), s.getMetadata(),
        sa.getMetadata(), RbacManifests.role(plan).getMetadata(), RbacManifests.roleBinding(plan).getMetadata(),
        DisruptionBudgetManifest.podDisruptionBudget(plan).getMetadata())) {
      assertThat(meta.getLabels()).containsEntry("example.com/team", "edge")
          .containsAllEntriesOf(FleetNames.of("web", "shop").labels());
      assertThat(meta.getAnnotations()).containsEntry("example.com/owner", "platform");
    }
    // the objects' own annotations stay, and the selector is the operator's alone
    assertThat(s.getMetadata().getAnnotations()).containsEntry("svc", "only");
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(FleetNames.ANNOTATION_LOAD_BALANCER, "shop");
    assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(FleetNames.of("web", "shop").selector());
    assertThat(s.getSpec().getSelector()).isEqualTo(FleetNames.of("web", "shop").selector());
  }
}
