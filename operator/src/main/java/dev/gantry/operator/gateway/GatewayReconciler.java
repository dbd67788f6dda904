package dev.gantry.operator.gateway;

import dev.gantry.model.Address;
import dev.gantry.model.Condition;
import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.gateway.api.BackendTlsPolicyResource;
import dev.gantry.operator.gateway.api.GatewayApi;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.gateway.api.GrpcRouteResource;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.gateway.api.ListenerSetResource;
import dev.gantry.operator.gateway.api.ParentRef;
import dev.gantry.operator.gateway.api.RouteStatus;
import dev.gantry.operator.gateway.api.TcpRouteResource;
import dev.gantry.operator.gateway.api.TlsRouteResource;
import dev.gantry.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the Gateways of Gantry's GatewayClasses: keeps the LoadBalancer each one owns in line with its
 * listeners and the routes (HTTPRoutes, GRPCRoutes, TLSRoutes, TCPRoutes) attached to it (the LoadBalancer
 * reconciler then runs the fleet), and writes the Gateway's status, the status of the ListenerSets naming it (their
 * listeners join the Gateway's), each route's status for its parentRefs naming the Gateway or its ListenerSets, and the status of the BackendTLSPolicies of the Services its routes use. A Gateway of another
 * class is left alone; one that stops being ours loses its LoadBalancer.
 */
public final class GatewayReconciler implements Reconciler<GatewayResource> {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayReconciler.class);
  /** While the fleet catches up with a new model, look again this soon. */
  static final Duration READY_POLL = Duration.ofSeconds(2);

  private final KubernetesClient client;
  private final Clock clock;
  private final GatewayWatches watches = new GatewayWatches();

  public GatewayReconciler(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, GatewayResource>> prepareEventSources(EventSourceContext<GatewayResource> context) {
    return watches.eventSources(context);
  }

  @Override
  public UpdateControl<GatewayResource> reconcile(GatewayResource gw, Context<GatewayResource> context) {
    LoadBalancerResource existing = watches.loadBalancerOf(gw).orElse(null);
    boolean ours = gw.getSpec() != null && watches.gatewayClass(gw.getSpec().gatewayClassName())
        .map(c -> c.getSpec() != null && GatewayApi.CONTROLLER_NAME.equals(c.getSpec().controllerName()))
        .orElse(false);
    if (!ours) {
      if (existing != null) {
        LOG.info("{}: not of a Gantry GatewayClass; removing its LoadBalancer", gw.describe());
        client.resource(existing).delete();
      }
      return UpdateControl.noUpdate();
    }
    GatewayPlan plan = GatewayTranslator.translate(watches.inputs(gw));
    applyCertificateCopies(gw, plan);
    LoadBalancerResource current = apply(gw, plan, existing);
    boolean serving = current != null && serves(current);
    List<Address> addresses = current == null || current.getStatus() == null || current.getStatus().addresses() == null
        ? List.of() : current.getStatus().addresses();
    writeRouteStatuses(gw, plan);

    GatewayResource.Status after = GatewayStatuses.of(gw, plan, serving, addresses,
        GatewayAddresses.of(gw).notUsable(current), clock.instant());
    writeListenerSetStatuses(gw, plan, after);
    UpdateControl<GatewayResource> control;
    if (after.equals(gw.getStatus())) {
      control = UpdateControl.noUpdate();
    } else {
      gw.setStatus(after);
      gw.getMetadata().setResourceVersion(null);
      control = UpdateControl.patchStatus(gw);
    }
    if (plan.spec() != null && !serving) {
      control.rescheduleAfter(READY_POLL);
    }
    return control;
  }

  /** Creates, updates or removes the Gateway's LoadBalancer; the one in the cluster afterwards, or null. */
  private LoadBalancerResource apply(GatewayResource gw, GatewayPlan plan, LoadBalancerResource existing) {
    if (plan.spec() == null) {
      if (existing != null) {
        client.resource(existing).delete();
      }
      return null;
    }
    LoadBalancerResource desired = GatewayLoadBalancers.desired(gw, plan.spec());
    if (existing == null) {
      LOG.info("{}: creating its LoadBalancer {}", gw.describe(), desired.getMetadata().getName());
      return client.resource(desired).create();
    }
    if (!Objects.equals(existing.getSpec(), desired.getSpec())) {
      LOG.info("{}: updating its LoadBalancer", gw.describe());
      existing.setSpec(desired.getSpec());
      return client.resource(existing).update();
    }
    return existing;
  }

  /**
   * Whether the LoadBalancer's model is written and its fleet serves: once ready, a fleet catching up with a
   * route change does not make the Gateway unprogrammed.
   */
  private static boolean serves(LoadBalancerResource lb) {
    if (lb.getStatus() == null) {
      return false;
    }
    Condition programmed = StatusAggregator.find(lb.getStatus(), StatusAggregator.PROGRAMMED);
    Condition ready = StatusAggregator.find(lb.getStatus(), StatusAggregator.READY);
    boolean readyNow = ready != null && "True".equals(ready.status());
    boolean readyBefore = lb.getStatus().readyReplicas() != null && lb.getStatus().readyReplicas() > 0;
    return programmed != null && "True".equals(programmed.status()) && (readyNow || readyBefore);
  }

  /** Keeps the Gateway's copies of granted Secrets of other namespaces in line, and removes those not needed. */
  private void applyCertificateCopies(GatewayResource gw, GatewayPlan plan) {
    String ns = gw.getMetadata().getNamespace();
    plan.secretCopies().forEach((name, source) -> {
      Secret desired = CertificateCopies.desired(gw, name, source);
      Secret existing = watches.secret(ns, name).orElse(null);
      if (existing == null) {
        client.resource(desired).create();
      } else if (!Objects.equals(existing.getData(), desired.getData())) {
        existing.setData(desired.getData());
        client.resource(existing).update();
      }
    });
    for (Secret s : watches.secretsLabelled(ns, CertificateCopies.LABEL,
        GatewayLoadBalancers.name(gw.getMetadata().getName()))) {
      if (!plan.secretCopies().containsKey(s.getMetadata().getName())) {
        client.resource(s).delete();
      }
    }
  }

  /** Each ListenerSet naming the Gateway is told whether it attached and how its listeners fare. */
  private void writeListenerSetStatuses(GatewayResource gw, GatewayPlan plan, GatewayResource.Status gateway) {
    boolean accepted = gateway.conditions().stream().anyMatch(c -> "Accepted".equals(c.type())
        && "True".equals(c.status()));
    boolean programmed = gateway.conditions().stream().anyMatch(c -> "Programmed".equals(c.type())
        && "True".equals(c.status()));
    for (ListenerSets.Judged judged : plan.listenerSets()) {
      ListenerSetResource set = judged.set();
      ListenerSetResource.Status after = ListenerSetStatuses.of(judged, plan, accepted, programmed, clock.instant());
      if (after.equals(set.getStatus())) {
        continue;
      }
      try {
        client.resources(ListenerSetResource.class).inNamespace(set.getMetadata().getNamespace())
            .withName(set.getMetadata().getName())
            .editStatus(s -> {
              s.setStatus(after);
              return s;
            });
      } catch (KubernetesClientException e) {
        LOG.warn("{}: status of {} not written, will retry: {}", gw.describe(), set.describe(), e.getMessage());
      }
    }
  }

  private void writeRouteStatuses(GatewayResource gw, GatewayPlan plan) {
    writeRouteStatuses(gw, plan, HttpRouteResource.class, watches.routes());
    writeRouteStatuses(gw, plan, TlsRouteResource.class, watches.tlsRoutes());
    writeRouteStatuses(gw, plan, TcpRouteResource.class, watches.tcpRoutes());
    writeRouteStatuses(gw, plan, GrpcRouteResource.class, watches.grpcRoutes());
    writePolicyStatuses(gw, plan);
  }

  /** Each BackendTLSPolicy targeting a Service port of the Gateway's routes is told its verdict; others forgotten. */
  private void writePolicyStatuses(GatewayResource gw, GatewayPlan plan) {
    String ns = gw.getMetadata().getNamespace();
    String name = gw.getMetadata().getName();
    for (BackendTlsPolicyResource policy : watches.backendTlsPolicies()) {
      BackendTlsPolicies.Verdict verdict = plan.policies().entrySet().stream()
          .filter(e -> e.getKey().getMetadata().getUid() != null
              && e.getKey().getMetadata().getUid().equals(policy.getMetadata().getUid()))
          .findFirst().map(java.util.Map.Entry::getValue).orElse(null);
      long generation = Objects.requireNonNullElse(policy.getMetadata().getGeneration(), 0L);
      BackendTlsPolicyResource.Status after = PolicyStatuses.merge(policy.getStatus(), ns, name, verdict, generation,
          clock.instant());
      BackendTlsPolicyResource.Status before = policy.getStatus() == null
          ? new BackendTlsPolicyResource.Status(List.of()) : policy.getStatus();
      if (after.ancestorsOrEmpty().equals(before.ancestorsOrEmpty())) {
        continue;
      }
      try {
        client.resources(BackendTlsPolicyResource.class).inNamespace(policy.getMetadata().getNamespace())
            .withName(policy.getMetadata().getName())
            .editStatus(p -> {
              p.setStatus(PolicyStatuses.merge(p.getStatus(), ns, name, verdict, generation, clock.instant()));
              return p;
            });
      } catch (KubernetesClientException e) {
        LOG.warn("{}: status of BackendTLSPolicy({}/{}) not written, will retry: {}", gw.describe(),
            policy.getMetadata().getNamespace(), policy.getMetadata().getName(), e.getMessage());
      }
    }
  }

  private <R extends CustomResource<?, RouteStatus>> void writeRouteStatuses(GatewayResource gw, GatewayPlan plan,
      Class<R> type, List<R> routes) {
    String ns = gw.getMetadata().getNamespace();
    String name = gw.getMetadata().getName();
    for (R route : routes) {
      List<ParentVerdict> verdicts = plan.verdicts().entrySet().stream()
          .filter(e -> e.getKey().getMetadata().getUid() != null
              && e.getKey().getMetadata().getUid().equals(route.getMetadata().getUid()))
          .findFirst().map(java.util.Map.Entry::getValue).orElse(List.of());
      long generation = Objects.requireNonNullElse(route.getMetadata().getGeneration(), 0L);
      String routeNs = route.getMetadata().getNamespace();
      Predicate<ParentRef> ours = ref -> ref.names(ns, name, routeNs)
          || plan.listenerSets().stream().anyMatch(j -> ref.namesListenerSet(j.set().getMetadata().getNamespace(),
              j.set().getMetadata().getName(), routeNs));
      RouteStatus after = RouteStatuses.merge(route.getStatus(), ours, verdicts, generation, clock.instant());
      RouteStatus before = route.getStatus() == null ? new RouteStatus(List.of()) : route.getStatus();
      if (after.parentsOrEmpty().equals(before.parentsOrEmpty())) {
        continue;
      }
      try {
        client.resources(type).inNamespace(route.getMetadata().getNamespace())
            .withName(route.getMetadata().getName())
            .editStatus(r -> {
              r.setStatus(RouteStatuses.merge(r.getStatus(), ours, verdicts, generation, clock.instant()));
              return r;
            });
      } catch (KubernetesClientException e) {
        LOG.warn("{}: status of {}({}/{}) not written, will retry: {}", gw.describe(), route.getKind(),
            route.getMetadata().getNamespace(), route.getMetadata().getName(), e.getMessage());
      }
    }
  }
}
