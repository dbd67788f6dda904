package dev.gantry.operator.reconciler;

import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.translate.ClusterRefs;
import dev.gantry.operator.translate.CustomResources;
import dev.gantry.operator.translate.EndpointSlices;
import dev.gantry.operator.translate.FleetNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import dev.gantry.operator.ingress.IngressClasses;
import dev.gantry.operator.ingress.IngressReferences;
import dev.gantry.operator.ingress.IngressTranslator;
import java.util.Optional;
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
 * The informers on what load balancers reference (Services, their EndpointSlices, Secrets, ConfigMaps) and on the
 * fleets' pods. A change to one of those objects re-reconciles exactly the load balancers that reference
 * it, found through indexes on the LoadBalancer cache; reconciliations read them from the caches.
 */
final class References {

  static final String BY_SERVICE = "gantry.by-service";
  static final String BY_SECRET = "gantry.by-secret";
  static final String BY_CONFIG_MAP = "gantry.by-config-map";
  static final String BY_LOAD_BALANCER = "gantry.by-load-balancer";
  private InformerEventSource<Service, LoadBalancerResource> services;
  private InformerEventSource<EndpointSlice, LoadBalancerResource> slices;
  private InformerEventSource<Secret, LoadBalancerResource> secrets;
  private InformerEventSource<ConfigMap, LoadBalancerResource> configMaps;
  private InformerEventSource<Pod, LoadBalancerResource> pods;
  private InformerEventSource<Ingress, LoadBalancerResource> ingresses;
  private InformerEventSource<IngressClass, LoadBalancerResource> ingressClasses;

  List<EventSource<?, LoadBalancerResource>> eventSources(EventSourceContext<LoadBalancerResource> context) {
    IndexerResourceCache<LoadBalancerResource> primaries = context.getPrimaryCache();
    primaries.addIndexer(BY_SERVICE, lb -> keys(lb, CustomResources.serviceNames(lb)));
    primaries.addIndexer(BY_SECRET, lb -> keys(lb, CustomResources.secretNames(lb)));
    primaries.addIndexer(BY_CONFIG_MAP, lb -> keys(lb, CustomResources.configMapNames(lb)));

    ingressClasses = new InformerEventSource<>(InformerEventSourceConfiguration.from(IngressClass.class,
            LoadBalancerResource.class)
        .withName("ingress-classes")
        .withSecondaryToPrimaryMapper(c -> namedByClass(primaries, c))
        .build(), context);
    ingresses = new InformerEventSource<>(InformerEventSourceConfiguration.from(Ingress.class, LoadBalancerResource.class)
        .withName("ingresses")
        .withSecondaryToPrimaryMapper(i -> targetOf(i).map(Set::of).orElse(Set.of()))
        .build(), context);
    ingresses.addIndexers(Map.of(
        BY_SERVICE, i -> keys(i, IngressReferences.serviceNames(i)),
        BY_SECRET, i -> keys(i, IngressReferences.secretNames(i)),
        // an Ingress names no ConfigMap; the index exists so every reference kind is looked up alike
        BY_CONFIG_MAP, i -> List.of()));
    services = new InformerEventSource<>(InformerEventSourceConfiguration.from(Service.class, LoadBalancerResource.class)
        .withName("referenced-services")
        .withSecondaryToPrimaryMapper(s -> referencing(primaries, BY_SERVICE, s.getMetadata().getNamespace(),
            s.getMetadata().getName()))
        .build(), context);
    slices = new InformerEventSource<>(InformerEventSourceConfiguration.from(EndpointSlice.class,
            LoadBalancerResource.class)
        .withName("referenced-endpointslices")
        .withSecondaryToPrimaryMapper(s -> referencing(primaries, BY_SERVICE, s.getMetadata().getNamespace(),
            EndpointSlices.serviceOf(s)))
        .build(), context);
    slices.addIndexers(Map.of(BY_SERVICE, s -> EndpointSlices.serviceOf(s) == null ? List.of()
        : List.of(s.getMetadata().getNamespace() + "/" + EndpointSlices.serviceOf(s))));
    secrets = new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, LoadBalancerResource.class)
        .withName("referenced-secrets")
        .withSecondaryToPrimaryMapper(s -> referencing(primaries, BY_SECRET, s.getMetadata().getNamespace(),
            s.getMetadata().getName()))
        .build(), context);
    // CA bundles: a rotation re-reconciles the load balancers naming the ConfigMap, and reaches their bundles
    configMaps = new InformerEventSource<>(InformerEventSourceConfiguration.from(ConfigMap.class,
            LoadBalancerResource.class)
        .withName("referenced-configmaps")
        .withSecondaryToPrimaryMapper(c -> referencing(primaries, BY_CONFIG_MAP, c.getMetadata().getNamespace(),
            c.getMetadata().getName()))
        .build(), context);
    pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, LoadBalancerResource.class)
        .withName("fleet-pods")
        .withLabelSelector(FleetNames.PODS_SELECTOR)
        .withSecondaryToPrimaryMapper(p -> loadBalancerOf(p) == null ? Set.of()
            : Set.of(new ResourceID(loadBalancerOf(p), p.getMetadata().getNamespace())))
        .build(), context);
    pods.addIndexers(Map.of(BY_LOAD_BALANCER, p -> loadBalancerOf(p) == null ? List.of()
        : List.of(p.getMetadata().getNamespace() + "/" + loadBalancerOf(p))));
    return List.of(ingressClasses, ingresses, services, slices, secrets, configMaps, pods);
  }

  /** The Ingresses attached to {@code lb}: those whose class names it, from any namespace. */
  List<Ingress> ingressesOf(LoadBalancerResource lb) {
    ResourceID id = ResourceID.fromResource(lb);
    return ingresses.list()
        .filter(i -> targetOf(i).filter(id::equals).isPresent())
        .toList();
  }

  /** What the Ingresses of {@code namespace} among {@code attached} reference there, for resolving them there. */
  ClusterRefs in(String namespace, List<Ingress> attached) {
    List<String> serviceNames = new java.util.ArrayList<>();
    for (Ingress i : attached) {
      if (namespace.equals(i.getMetadata().getNamespace())) {
        serviceNames.addAll(IngressReferences.serviceNames(i));
      }
    }
    Map<String, Service> svc = byName(serviceNames, n -> services.get(new ResourceID(n, namespace)).orElse(null));
    return new ClusterRefs(svc, slicesOf(namespace, svc.keySet()), Map.of());
  }

  /** The load balancer an Ingress attaches to, through its class, if it is ours and attaches. */
  private Optional<ResourceID> targetOf(Ingress ingress) {
    return IngressClasses.resolve(ingress, ingressClasses.list().toList())
        .map(IngressClasses.Outcome::target)
        .map(t -> new ResourceID(t.name(), t.namespace()));
  }

  /** A class change concerns every load balancer it names (in any namespace, for a cluster-wide class). */
  private static Set<ResourceID> namedByClass(IndexerResourceCache<LoadBalancerResource> primaries, IngressClass c) {
    var p = c.getSpec() == null ? null : c.getSpec().getParameters();
    if (p == null || p.getName() == null) {
      return Set.of();
    }
    return primaries.list()
        .filter(lb -> lb.getMetadata().getName().equals(p.getName()))
        .filter(lb -> p.getNamespace() == null || p.getNamespace().equals(lb.getMetadata().getNamespace()))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /** What {@code lb} and the Ingresses attached to it reference, as the caches hold it now. */
  ClusterRefs of(LoadBalancerResource lb, List<Ingress> attached) {
    String ns = lb.getMetadata().getNamespace();
    List<String> serviceNames = new java.util.ArrayList<>(CustomResources.serviceNames(lb));
    List<String> secretNames = new java.util.ArrayList<>(CustomResources.secretNames(lb));
    Map<String, Secret> foreignSecrets = new HashMap<>();
    for (Ingress i : attached) {
      String in = i.getMetadata().getNamespace();
      if (in.equals(ns)) {
        serviceNames.addAll(IngressReferences.serviceNames(i));
        secretNames.addAll(IngressReferences.secretNames(i));
      } else {
        // An Ingress of another namespace: its certificates join under namespace-qualified names.
        for (String s : IngressReferences.secretNames(i)) {
          secrets.get(new ResourceID(s, in))
              .ifPresent(secret -> foreignSecrets.put(IngressTranslator.qualifiedSecret(in, s), secret));
        }
      }
    }
    Map<String, Service> svc = byName(serviceNames, n -> services.get(new ResourceID(n, ns))
        .orElse(null));
    Map<String, List<EndpointSlice>> eps = slicesOf(ns, svc.keySet());
    Map<String, Secret> sec = new HashMap<>(foreignSecrets);
    sec.putAll(byName(secretNames, n -> secrets.get(new ResourceID(n, ns))
        .orElse(null)));
    Map<String, ConfigMap> maps = byName(CustomResources.configMapNames(lb), n -> configMaps.get(new ResourceID(n, ns))
        .orElse(null));
    return new ClusterRefs(svc, eps, sec, maps);
  }

  /** The EndpointSlices of each of {@code services} in {@code namespace}, as the cache holds them. */
  private Map<String, List<EndpointSlice>> slicesOf(String namespace, Set<String> services) {
    Map<String, List<EndpointSlice>> out = new HashMap<>();
    for (String service : services) {
      out.put(service, slices.byIndex(BY_SERVICE, namespace + "/" + service));
    }
    return out;
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

  /** The load balancers referencing {@code namespace/name} directly, or through an attached Ingress. */
  private Set<ResourceID> referencing(IndexerResourceCache<LoadBalancerResource> primaries, String index,
      String namespace, String name) {
    if (name == null) {
      return Set.of();
    }
    Set<ResourceID> out = primaries.byIndex(index, namespace + "/" + name).stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toCollection(java.util.HashSet::new));
    // Event sources start side by side: a ConfigMap or Secret seen before the Ingress source runs maps to no
    // Ingress, which loses nothing, since every load balancer is reconciled once the operator has started.
    if (ingresses != null && ingresses.isRunning()) {
      for (Ingress i : ingresses.byIndex(index, namespace + "/" + name)) {
        targetOf(i).ifPresent(out::add);
      }
    }
    return out;
  }

  private static String loadBalancerOf(Pod p) {
    return p.getMetadata().getAnnotations() == null ? null
        : p.getMetadata().getAnnotations().get(FleetNames.ANNOTATION_LOAD_BALANCER);
  }
}
