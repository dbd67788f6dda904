package dev.gantry.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.model.BackendStatus;
import dev.gantry.model.Condition;
import dev.gantry.model.ListenerStatus;
import dev.gantry.model.LoadBalancer;
import dev.gantry.model.LoadBalancerStatus;
import dev.gantry.model.ModelCodec;
import dev.gantry.operator.GantryOperator;
import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.testing.Cluster;
import dev.gantry.operator.testing.Pem;
import dev.gantry.operator.translate.FleetSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconciler against fabric8's mock API server in CRUD mode: what it creates, reports and repairs. */
@EnableKubernetesMockClient(crud = true)
class LoadBalancerReconcilerIT {

  KubernetesMockServer server;
  KubernetesClient client;
  Cluster cluster;
  GantryOperator operator;

  static final String SHOP = """
      apiVersion: gantry.dev/v1alpha1
      kind: LoadBalancer
      metadata: {name: shop}
      spec:
        listeners:
        - {name: http, port: 8080, protocol: HTTP, defaultBackend: main}
        routes:
        - name: community
          paths: [{type: Prefix, value: /community}]
          backends: [{name: forum}]
        backends:
        - name: main
          service: {name: main, port: 80}
        - name: forum
          service: {name: forum, port: http}
      """;

  @BeforeEach
  void start() {
    cluster = new Cluster(client).installCrd();
    operator = new GantryOperator(new GantryOperator.Config(client, Set.of(),
        new FleetSettings("gantry/proxy:test", "IfNotPresent", 8404), Optional.empty(), new SimpleMeterRegistry(),
        false)).start();
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
  }

  void services() {
    cluster.service("main", 80, "web", 8080);
    cluster.endpoints("main", "web", 8080, List.of("10.1.0.1", "10.1.0.2"), List.of("10.1.0.3"));
    cluster.service("forum", 8080, "http", 9000);
    cluster.endpoints("forum", "http", 9000, List.of("10.2.0.1"), List.of());
  }

  LoadBalancer model(String lb) {
    ConfigMap cm = cluster.get(ConfigMap.class, "gantry-" + lb + "-model");
    return ModelCodec.fromJson(toJson(cm.getData().get("loadbalancer.yaml")));
  }

  static String toJson(String yaml) {
    try {
      return ModelCodec.jsonMapper().writeValueAsString(ModelCodec.yamlMapper().readTree(yaml));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  LoadBalancerStatus status(String name) {
    return cluster.loadBalancer(name).getStatus();
  }

  static Condition condition(LoadBalancerStatus s, String type) {
    return s.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
  }

  void awaitStatus(String lb, Predicate<LoadBalancerStatus> p) {
    eventually().until(() -> status(lb) != null && p.test(status(lb)));
  }

  @Test
  void createsAnOwnedFleetAndReportsItsStatus() {
    services();
    LoadBalancerResource lb = cluster.apply(SHOP);
    awaitStatus("shop", s -> s.observedGeneration() == 1 && condition(s, "Accepted").status().equals("True"));

    LoadBalancer model = model("shop");
    assertThat(model.metadata().generation()).isEqualTo(1);
    assertThat(model.spec().backends()).satisfiesExactly(
        main -> assertThat(main.endpoints()).extracting(e -> e.address() + ":" + e.port())
            .containsExactly("10.1.0.1:8080", "10.1.0.2:8080"),
        forum -> assertThat(forum.endpoints()).extracting(e -> e.address() + ":" + e.port())
            .containsExactly("10.2.0.1:9000"));
    assertThat(model.spec().backends()).allSatisfy(b -> assertThat(b.service()).isNull());

    String uid = lb.getMetadata().getUid();
    List<HasMetadata> owned = List.of(cluster.get(ConfigMap.class, "gantry-shop-model"),
        cluster.get(Secret.class, "gantry-shop-tls"), cluster.get(Deployment.class, "gantry-shop"),
        cluster.get(Service.class, "gantry-shop"), cluster.get(ServiceAccount.class, "gantry-shop"),
        cluster.get(Role.class, "gantry-shop"), cluster.get(RoleBinding.class, "gantry-shop"),
        cluster.get(PodDisruptionBudget.class, "gantry-shop"));
    assertThat(owned).allSatisfy(o -> assertThat(o.getMetadata().getOwnerReferences())
        .singleElement().satisfies(r -> {
          assertThat(r.getUid()).isEqualTo(uid);
          assertThat(r.getKind()).isEqualTo("LoadBalancer");
        }));

    LoadBalancerStatus s = status("shop");
    assertThat(condition(s, "Programmed").status()).isEqualTo("True");
    assertThat(condition(s, "Ready").status()).isEqualTo("False");
    assertThat(condition(s, "Ready").reason()).isEqualTo("Pending");
    assertThat(s.listeners()).containsExactly(new ListenerStatus("http", 1));
    assertThat(s.backends()).containsExactly(new BackendStatus("main", 3, 2), new BackendStatus("forum", 1, 1));
    assertThat(s.conditions()).allSatisfy(c -> assertThat(c.observedGeneration()).isEqualTo(1));
  }
}
