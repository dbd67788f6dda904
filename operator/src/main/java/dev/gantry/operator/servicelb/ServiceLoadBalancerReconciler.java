package dev.gantry.operator.servicelb;

import dev.gantry.model.Address;
import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.ingress.IngressReporter;
import dev.gantry.operator.status.EventRecorder;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code Service type: LoadBalancer} of class {@value ServiceLoadBalancers#CLASS}: keeps the
 * LoadBalancer it owns in line with its ports (the LoadBalancer reconciler then runs its fleet), reports
 * ports it cannot serve as Events, and copies the load balancer's addresses into
 * {@code status.loadBalancer.ingress}. Services of other classes are left alone; one that stops being ours
 * loses its LoadBalancer.
 */
public final class ServiceLoadBalancerReconciler implements Reconciler<Service> {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceLoadBalancerReconciler.class);

  private final KubernetesClient client;
  private final EventRecorder events;
  /** The problems each Service (by uid) was last told of, so an Event is sent once per change. */
  private final Map<String, List<String>> told = new ConcurrentHashMap<>();
  private InformerEventSource<LoadBalancerResource, Service> owned;

  public ServiceLoadBalancerReconciler(KubernetesClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
  }

  @Override
  public List<EventSource<?, Service>> prepareEventSources(EventSourceContext<Service> context) {
    owned = new InformerEventSource<>(InformerEventSourceConfiguration.from(LoadBalancerResource.class, Service.class)
        .withName("service-load-balancers")
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Service.class, false))
        .build(), context);
    return List.of(owned);
  }

  @Override
  public UpdateControl<Service> reconcile(Service svc, Context<Service> context) {
    LoadBalancerResource existing = context.getSecondaryResource(LoadBalancerResource.class).orElse(null);
    if (!ServiceLoadBalancers.isOurs(svc)) {
      if (existing != null) {
        LOG.info("Service({}/{}): no longer of class {}; removing its LoadBalancer", svc.getMetadata().getNamespace(),
            svc.getMetadata().getName(), ServiceLoadBalancers.CLASS);
        client.resource(existing).delete();
      }
      told.remove(svc.getMetadata().getUid());
      return UpdateControl.noUpdate();
    }
    ServiceLoadBalancers.Desired desired = ServiceLoadBalancers.desired(svc);
    apply(desired.lb(), existing);
    report(svc, desired.problems());

    List<LoadBalancerIngress> wanted = IngressReporter.serviceIngress(existing == null || existing.getStatus() == null
        || existing.getStatus().addresses() == null ? List.<Address>of() : existing.getStatus().addresses());
    List<LoadBalancerIngress> current = svc.getStatus() == null || svc.getStatus().getLoadBalancer() == null
        || svc.getStatus().getLoadBalancer().getIngress() == null ? List.of()
        : svc.getStatus().getLoadBalancer().getIngress();
    if (Objects.equals(current, wanted)) {
      return UpdateControl.noUpdate();
    }
    ServiceStatus status = svc.getStatus() == null ? new ServiceStatus() : svc.getStatus();
    status.setLoadBalancer(new LoadBalancerStatus(wanted));
    svc.setStatus(status);
    // status.loadBalancer is the load balancer implementation's alone: no optimistic lock, no 409 and retry
    // when the Service changed meanwhile
    svc.getMetadata().setResourceVersion(null);
    return UpdateControl.patchStatus(svc);
  }

  /** Creates the LoadBalancer, or brings its spec in line; the rest of it (status, fleet) is not ours here. */
  private void apply(LoadBalancerResource desired, LoadBalancerResource existing) {
    if (existing == null) {
      client.resource(desired).create();
      LOG.info("LoadBalancer({}/{}): created for its Service", desired.getMetadata().getNamespace(),
          desired.getMetadata().getName());
    } else if (!Objects.equals(existing.getSpec(), desired.getSpec())
        || !Objects.equals(existing.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations())) {
      existing.setSpec(desired.getSpec());
      existing.getMetadata().setAnnotations(desired.getMetadata().getAnnotations());
      client.resource(existing).update();
    }
  }

  private void report(Service svc, List<String> problems) {
    List<String> before = told.put(svc.getMetadata().getUid(), problems);
    for (String p : problems) {
      if (before == null || !before.contains(p)) {
        events.emit(svc, "Warning", "PortNotServed", p);
      }
    }
  }
}
