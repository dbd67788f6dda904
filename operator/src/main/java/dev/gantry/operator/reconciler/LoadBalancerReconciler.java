package dev.gantry.operator.reconciler;

import dev.gantry.model.Address;
import dev.gantry.model.LoadBalancerStatus;
import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.dependent.DeploymentDependent;
import dev.gantry.operator.ingress.IngressAttachment;
import dev.gantry.operator.ingress.IngressReporter;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import dev.gantry.operator.dependent.DisruptionBudgetDependent;
import dev.gantry.operator.dependent.ModelConfigMapDependent;
import dev.gantry.operator.dependent.RoleBindingDependent;
import dev.gantry.operator.dependent.RoleDependent;
import dev.gantry.operator.dependent.ServableOrExisting;
import dev.gantry.operator.dependent.ServiceAddressRefusal;
import dev.gantry.operator.dependent.ServiceAccountDependent;
import dev.gantry.operator.dependent.ServiceDependent;
import dev.gantry.operator.dependent.TlsSecretDependent;
import dev.gantry.operator.status.Addresses;
import dev.gantry.operator.status.EventRecorder;
import dev.gantry.operator.status.Observed;
import dev.gantry.operator.status.ServedGenerations;
import dev.gantry.operator.status.StatusAggregator;
import dev.gantry.operator.translate.ClusterRefs;
import dev.gantry.operator.translate.CustomResources;
import dev.gantry.operator.translate.Finding;
import dev.gantry.operator.translate.FleetNames;
import dev.gantry.operator.translate.FleetPlan;
import dev.gantry.operator.translate.FleetSettings;
import dev.gantry.operator.translate.ModelResolver;
import dev.gantry.operator.translate.Resolution;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one LoadBalancer: compiles it with what it references into a {@link FleetPlan}, lets the
 * workflow apply the fleet's objects (each computed by its dependent resource), then writes the status and
 * the Events. Bad input never throws out of here: it becomes findings in the status.
 */
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = "tls-secret", type = TlsSecretDependent.class, reconcilePrecondition = ServableOrExisting.class),
    @Dependent(name = "model", type = ModelConfigMapDependent.class, dependsOn = "tls-secret",
        reconcilePrecondition = ServableOrExisting.class),
    @Dependent(name = "service-account", type = ServiceAccountDependent.class,
        reconcilePrecondition = ServableOrExisting.class),
    @Dependent(name = "role", type = RoleDependent.class, reconcilePrecondition = ServableOrExisting.class),
    @Dependent(name = "role-binding", type = RoleBindingDependent.class, dependsOn = {"role", "service-account"},
        reconcilePrecondition = ServableOrExisting.class),
    @Dependent(name = "deployment", type = DeploymentDependent.class, dependsOn = {"model", "role-binding"},
        reconcilePrecondition = ServableOrExisting.class),
    @Dependent(name = LoadBalancerReconciler.FLEET_SERVICE, type = ServiceDependent.class, reconcilePrecondition = ServableOrExisting.class),
    @Dependent(name = "disruption-budget", type = DisruptionBudgetDependent.class,
        reconcilePrecondition = ServableOrExisting.class)})
public final class LoadBalancerReconciler implements Reconciler<LoadBalancerResource> {

  private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerReconciler.class);
  /** While proxies catch up with a new model (which no API object announces), look again this soon. */
  static final Duration READY_POLL = Duration.ofSeconds(2);
  /** The fleet's Service dependent; its event source, apart from the referenced Services', has this name. */
  static final String FLEET_SERVICE = "service";

  private final FleetSettings settings;
  private final ServedGenerations served;
  private final EventRecorder events;
  private final Clock clock;
  private final References references = new References();
  private final IngressReporter ingressReporter;

  public LoadBalancerReconciler(FleetSettings settings, ServedGenerations served, EventRecorder events,
      IngressReporter ingressReporter, Clock clock) {
    this.settings = settings;
    this.served = served;
    this.events = events;
    this.ingressReporter = ingressReporter;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, LoadBalancerResource>> prepareEventSources(EventSourceContext<LoadBalancerResource> context) {
    return references.eventSources(context);
  }

  @Override
  public UpdateControl<LoadBalancerResource> reconcile(LoadBalancerResource lb, Context<LoadBalancerResource> context) {
    long generation = Objects.requireNonNullElse(lb.getMetadata().getGeneration(), 0L);
    List<Ingress> attached = references.ingressesOf(lb);
    IngressAttachment.Attached withIngresses = IngressAttachment.attach(CustomResources.toModel(lb), attached,
        ns -> references.in(ns, attached));
    ClusterRefs refs = references.of(lb, attached);
    Resolution resolution = ModelResolver.resolve(withIngresses.lb(), refs);
    boolean hostPorts = FleetPlan.HOST_PORTS_VALUE.equals(lb.getMetadata().getAnnotations() == null ? null
        : lb.getMetadata().getAnnotations().get(FleetPlan.HOST_PORTS_ANNOTATION));
    FleetPlan plan = new FleetPlan(FleetNames.of(lb.getMetadata().getNamespace(), lb.getMetadata().getName()),
        generation, lb.getSpec(), resolution, settings, hostPorts);
    context.managedWorkflowAndDependentResourceContext().put(FleetPlan.KEY, plan);
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();

    Service service = context.getSecondaryResource(Service.class, FLEET_SERVICE).orElse(null);
    Integer readyReplicas = context.getSecondaryResource(Deployment.class)
        .map(d -> d.getStatus() == null ? null : d.getStatus().getReadyReplicas()).orElse(null);
    int serving = resolution.servable() ? serving(lb, plan) : 0;
    LoadBalancerStatus before = lb.getStatus();
    List<Address> addresses = hostPorts ? Addresses.ofNodes(references.podsOf(lb)) : Addresses.of(service);
    String refusal = context.managedWorkflowAndDependentResourceContext()
        .get(ServiceAddressRefusal.KEY, ServiceAddressRefusal.class).map(ServiceAddressRefusal::message).orElse(null);
    LoadBalancerStatus after = StatusAggregator.aggregate(new Observed(generation, resolution, addresses,
        plan.replicas(), readyReplicas, serving, before, clock.instant(), refusal));
    log(lb, resolution, before, after);
    events.recordChanges(lb, before, after);
    ingressReporter.report(lb.getMetadata().getNamespace(), attached, withIngresses.problems(), resolution.findings(),
        after.addresses() == null ? List.of() : after.addresses());

    UpdateControl<LoadBalancerResource> control;
    if (after.equals(before)) {
      control = UpdateControl.noUpdate();
    } else {
      lb.setStatus(after);
      // The status is this operator's alone and says which generation it describes: written without an
      // optimistic lock, a LoadBalancer edited meanwhile costs no 409 and retry (the next run catches up).
      lb.getMetadata().setResourceVersion(null);
      control = UpdateControl.patchStatus(lb);
    }
    boolean ready = "True".equals(StatusAggregator.find(after, StatusAggregator.READY).status());
    if (!ready && resolution.servable() && plan.replicas() > 0) {
      control.rescheduleAfter(READY_POLL);
    }
    return control;
  }

  /** Ready proxy pods of the fleet that serve this generation of the load balancer. */
  private int serving(LoadBalancerResource lb, FleetPlan plan) {
    int n = 0;
    for (Pod pod : references.podsOf(lb)) {
      if (ServedGenerations.isReady(pod)) {
        OptionalLong g = served.of(pod, plan.names().id());
        n += g.isPresent() && g.getAsLong() == plan.generation() ? 1 : 0;
      }
    }
    return n;
  }

  private static void log(LoadBalancerResource lb, Resolution resolution, LoadBalancerStatus before,
      LoadBalancerStatus after) {
    var accepted = StatusAggregator.find(after, StatusAggregator.ACCEPTED);
    var was = StatusAggregator.find(before, StatusAggregator.ACCEPTED);
    if (was != null && Objects.equals(was.message(), accepted.message())) {
      return;
    }
    if (resolution.findings().isEmpty()) {
      LOG.info("{}: accepted, generation {}", lb.describe(), lb.getMetadata().getGeneration());
    } else {
      LOG.warn("{}: {}: {}", lb.describe(), resolution.servable() ? "partly accepted" : "not accepted",
          resolution.findings().stream().map(Finding::message).toList());
    }
  }

  @Override
  public ErrorStatusUpdateControl<LoadBalancerResource> updateErrorStatus(LoadBalancerResource lb,
      Context<LoadBalancerResource> context, Exception e) {
    LOG.error("{}: reconciliation failed, will retry: {}", lb.describe(), e.toString());
    return ErrorStatusUpdateControl.noStatusUpdate();
  }
}
