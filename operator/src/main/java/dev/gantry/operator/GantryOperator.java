package dev.gantry.operator;

import dev.gantry.operator.gateway.GatewayClassReconciler;
import dev.gantry.operator.gateway.GatewayReconciler;
import dev.gantry.operator.ingress.IngressReporter;
import dev.gantry.operator.reconciler.LoadBalancerReconciler;
import dev.gantry.operator.servicelb.ServiceLoadBalancerReconciler;
import dev.gantry.operator.status.EventRecorder;
import dev.gantry.operator.status.ServedGenerations;
import dev.gantry.operator.translate.FleetSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The operator, assembled: the LoadBalancer reconciler (which also attaches Ingresses) and the reconciler
 * of Services of type LoadBalancer, registered with java-operator-sdk on the given
 * namespaces (all when empty), with metrics and, when a lease namespace is given, leader election; with
 * Gateway API on, the GatewayClass and Gateway reconcilers too.
 *
 * @param serverSideApply false only against API servers without server-side apply (fabric8's mock server)
 */
public final class GantryOperator implements AutoCloseable {

  public record Config(KubernetesClient client, Set<String> namespaces, FleetSettings fleet,
      Optional<String> leaseNamespace, MeterRegistry metrics, boolean serverSideApply, boolean gatewayApi) {

    /** Without Gateway API. */
    public Config(KubernetesClient client, Set<String> namespaces, FleetSettings fleet,
        Optional<String> leaseNamespace, MeterRegistry metrics, boolean serverSideApply) {
      this(client, namespaces, fleet, leaseNamespace, metrics, serverSideApply, false);
    }
  }

  public static final String LEASE_NAME = "gantry-operator-leader";
  /** Everything is compared with the cluster this often even without events, to repair drift. */
  static final Duration RESYNC = Duration.ofMinutes(5);

  private final Operator operator;

  public GantryOperator(Config config) {
    this.operator = new Operator(o -> {
      o.withKubernetesClient(config.client())
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(config.metrics()))
          .withUseSSAToPatchPrimaryResource(config.serverSideApply())
          .withSSABasedCreateUpdateMatchForDependentResources(config.serverSideApply())
          .withCloseClientOnStop(false)
          .withStopOnInformerErrorDuringStartup(false)
          .withCacheSyncTimeout(Duration.ofMinutes(2));
      config.leaseNamespace().ifPresent(ns -> o.withLeaderElectionConfiguration(
          new LeaderElectionConfiguration(LEASE_NAME, ns)));
    });
    EventRecorder events = new EventRecorder(config.client());
    LoadBalancerReconciler reconciler = new LoadBalancerReconciler(config.fleet(),
        new ServedGenerations(config.fleet().adminPort()), events, new IngressReporter(config.client(), events),
        Clock.systemUTC());
    operator.register(reconciler, c -> {
      c.withReconciliationMaxInterval(RESYNC);
      if (config.namespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(config.namespaces());
      }
    });
    operator.register(new ServiceLoadBalancerReconciler(config.client(), events), c -> {
      c.withReconciliationMaxInterval(RESYNC);
      if (config.namespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(config.namespaces());
      }
    });
    if (config.gatewayApi()) {
      // Gateways reach across namespaces (routes, grants, backends), so Gateway API is served cluster-wide
      operator.register(new GatewayClassReconciler(config.client(), Clock.systemUTC()), c -> c.withReconciliationMaxInterval(RESYNC));
      operator.register(new GatewayReconciler(config.client(), Clock.systemUTC()), c -> {
        c.withReconciliationMaxInterval(RESYNC);
        c.watchingAllNamespaces();
      });
    }
  }

  public GantryOperator start() {
    operator.start();
    return this;
  }

  /** True once every informer has synced and, with leader election, whichever instance leads. */
  public boolean healthy() {
    return operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  public boolean started() {
    return operator.getRuntimeInfo().isStarted();
  }

  @Override
  public void close() {
    operator.stop();
  }
}
