package dev.gantry.operator.reconciler;

import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.translate.ClusterRefs;
import dev.gantry.operator.translate.CustomResources;
import dev.gantry.operator.translate.FleetNames;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The informers on what load balancers reference (Services, their EndpointSlices, Secrets) and on the
 * fleets' pods. A change to one of those objects re-reconciles exactly the load balancers that reference
 * it, found through indexes on the LoadBalancer cache; reconciliations read them from the caches.
 */
final class References {

  static final String BY_SERVICE = "gantry.by-service";
  static final String BY_SECRET = "gantry.by-secret";
  static final String BY_LOAD_BALANCER = "gantry.by-load-balancer";
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private InformerEventSource<Service, LoadBalancerResource> services;
  private InformerEventSource<EndpointSlice, LoadBalancerResource> slices;
  private InformerEventSource<Secret, LoadBalancerResource> secrets;
  private InformerEventSource<Pod, LoadBalancerResource> pods;

  List<EventSource<?, LoadBalancerResource>> eventSources(EventSourceContext<LoadBalancerResource> context) {
    IndexerResourceCache<LoadBalancerResource> primaries = context.getPrimaryCache();
    primaries.addIndexer(BY_SERVICE, lb -> keys(lb, CustomResources.serviceNames(lb)));
    primaries.addIndexer(BY_SECRET, lb -> keys(lb, CustomResources.secretNames(lb)));

    services = new InformerEventSource<>(InformerEventSourceConfiguration.from(Service.class, LoadBalancerResource.class)
        .withName("referenced-services")
        .withSecondaryToPrimaryMapper(s -> referencing(primaries, BY_SERVICE, s.getMetadata().getNamespace(),
            s.getMetadata().getName()))
        .build(), context);
    slices = new InformerEventSource<>(InformerEventSourceConfiguration.from(EndpointSlice.class,
            LoadBalancerResource.class)
        .withName("referenced-endpointslices")
        .withSecondaryToPrimaryMapper(s -> referencing(primaries, BY_SERVICE, s.getMetadata().getNamespace(),
            serviceOf(s)))
        .build(), context);
    slices.addIndexers(Map.of(BY_SERVICE, s -> serviceOf(s) == null ? List.of()
        : List.of(s.getMetadata().getNamespace() + "/" + serviceOf(s))));
    secrets = new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, LoadBalancerResource.class)
        .withName("referenced-secrets")
        .withSecondaryToPrimaryMapper(s -> referencing(primaries, BY_SECRET, s.getMetadata().getNamespace(),
            s.getMetadata().getName()))
        .build(), context);
    pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, LoadBalancerResource.class)
        .withName("fleet-pods")
        .withLabelSelector(FleetNames.PODS_SELECTOR)
        .withSecondaryToPrimaryMapper(p -> loadBalancerOf(p) == null ? Set.of()
            : Set.of(new ResourceID(loadBalancerOf(p), p.getMetadata().getNamespace())))
        .build(), context);
    pods.addIndexers(Map.of(BY_LOAD_BALANCER, p -> loadBalancerOf(p) == null ? List.of()
        : List.of(p.getMetadata().getNamespace() + "/" + loadBalancerOf(p))));
    return List.of(services, slices, secrets, pods);
  }

  /** What {@code lb} references, as the caches hold it now. */
  ClusterRefs of(LoadBalancerResource lb) {
    String ns = lb.getMetadata().getNamespace();
    Map<String, Service> svc = byName(CustomResources.serviceNames(lb), n -> services.get(new ResourceID(n, ns))
        .orElse(null));
    Map<String, List<EndpointSlice>> eps = new HashMap<>();
    for (String n : svc.keySet()) {
      eps.put(n, slices.byIndex(BY_SERVICE, ns + "/" + n));
    }
    Map<String, Secret> sec = byName(CustomResources.secretNames(lb), n -> secrets.get(new ResourceID(n, ns))
        .orElse(null));
    return new ClusterRefs(svc, eps, sec);
  }

  List<Pod> podsOf(LoadBalancerResource lb) {
    return pods.byIndex(BY_LOAD_BALANCER, lb.getMetadata().getNamespace() + "/" + lb.getMetadata().getName());
  }

  private static <T> Map<String, T> byName(List<String> names, Function<String, T> lookup) {
    Map<String, T> out = new HashMap<>();
    for (String n : Set.copyOf(names)) {
      T t = lookup.apply(n);
      if (t != null) {
        out.put(n, t);
      }
    }
    return out;
  }

  private static List<String> keys(HasMetadata lb, List<String> names) {
    return names.stream().distinct().map(n -> lb.getMetadata().getNamespace() + "/" + n).toList();
  }

  private static Set<ResourceID> referencing(IndexerResourceCache<LoadBalancerResource> primaries, String index,
      String namespace, String name) {
    if (name == null) {
      return Set.of();
    }
    return primaries.byIndex(index, namespace + "/" + name).stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static String serviceOf(EndpointSlice s) {
    return s.getMetadata().getLabels() == null ? null : s.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
  }

  private static String loadBalancerOf(Pod p) {
    return p.getMetadata().getAnnotations() == null ? null
        : p.getMetadata().getAnnotations().get(FleetNames.ANNOTATION_LOAD_BALANCER);
  }
}
