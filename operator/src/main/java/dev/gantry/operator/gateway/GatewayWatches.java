package dev.gantry.operator.gateway;

import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.gateway.api.BackendTlsPolicyResource;
import dev.gantry.operator.gateway.api.GatewayClassResource;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.gateway.api.GrpcRouteResource;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.gateway.api.ListenerSetResource;
import dev.gantry.operator.gateway.api.ReferenceGrantResource;
import dev.gantry.operator.gateway.api.TcpRouteResource;
import dev.gantry.operator.gateway.api.TlsRouteResource;
import dev.gantry.operator.translate.ClusterRefs;
import dev.gantry.operator.translate.EndpointSlices;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The informers a Gateway is translated from: its generated LoadBalancer, and the GatewayClasses, HTTPRoutes,
 * TLSRoutes, TCPRoutes, GRPCRoutes, ReferenceGrants, Namespaces, Services, EndpointSlices, Secrets, ConfigMaps,
 * BackendTLSPolicies and ListenerSets of the
 * cluster. A change to any of those
 * re-reconciles every Gateway (a Gateway's inputs reach across namespaces); the translation is cheap and
 * writes only what changed.
 */
final class GatewayWatches {

  private InformerEventSource<LoadBalancerResource, GatewayResource> loadBalancers;
  private InformerEventSource<GatewayClassResource, GatewayResource> classes;
  private InformerEventSource<HttpRouteResource, GatewayResource> routes;
  private InformerEventSource<TlsRouteResource, GatewayResource> tlsRoutes;
  private InformerEventSource<TcpRouteResource, GatewayResource> tcpRoutes;
  private InformerEventSource<GrpcRouteResource, GatewayResource> grpcRoutes;
  private InformerEventSource<ReferenceGrantResource, GatewayResource> grants;
  private InformerEventSource<Namespace, GatewayResource> namespaces;
  private InformerEventSource<Service, GatewayResource> services;
  private InformerEventSource<EndpointSlice, GatewayResource> slices;
  private InformerEventSource<Secret, GatewayResource> secrets;
  private InformerEventSource<ConfigMap, GatewayResource> configMaps;
  private InformerEventSource<BackendTlsPolicyResource, GatewayResource> backendTlsPolicies;
  private InformerEventSource<ListenerSetResource, GatewayResource> listenerSets;

  List<EventSource<?, GatewayResource>> eventSources(EventSourceContext<GatewayResource> context) {
    IndexerResourceCache<GatewayResource> gateways = context.getPrimaryCache();
    loadBalancers = new InformerEventSource<>(InformerEventSourceConfiguration.from(LoadBalancerResource.class,
            GatewayResource.class)
        .withName("gateway-load-balancers")
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(GatewayResource.class, false))
        .build(), context);
    classes = every(GatewayClassResource.class, "gateway-classes", gateways, context);
    routes = every(HttpRouteResource.class, "httproutes", gateways, context);
    tlsRoutes = every(TlsRouteResource.class, "tlsroutes", gateways, context);
    tcpRoutes = every(TcpRouteResource.class, "tcproutes", gateways, context);
    grpcRoutes = every(GrpcRouteResource.class, "grpcroutes", gateways, context);
    grants = every(ReferenceGrantResource.class, "reference-grants", gateways, context);
    namespaces = every(Namespace.class, "gateway-namespaces", gateways, context);
    services = every(Service.class, "gateway-services", gateways, context);
    slices = every(EndpointSlice.class, "gateway-endpointslices", gateways, context);
    secrets = every(Secret.class, "gateway-secrets", gateways, context);
    configMaps = every(ConfigMap.class, "gateway-configmaps", gateways, context);
    backendTlsPolicies = every(BackendTlsPolicyResource.class, "backend-tls-policies", gateways, context);
    listenerSets = every(ListenerSetResource.class, "listenersets", gateways, context);
    return List.of(loadBalancers, classes, routes, tlsRoutes, tcpRoutes, grpcRoutes, grants, namespaces, services,
        slices, secrets, configMaps, backendTlsPolicies, listenerSets);
  }

  private static <R extends HasMetadata> InformerEventSource<R, GatewayResource> every(Class<R> type, String name,
      IndexerResourceCache<GatewayResource> gateways, EventSourceContext<GatewayResource> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, GatewayResource.class)
        .withName(name)
        .withSecondaryToPrimaryMapper(r -> gateways.list().map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build(), context);
  }

  Optional<LoadBalancerResource> loadBalancerOf(GatewayResource gw) {
    return loadBalancers.get(new ResourceID(GatewayLoadBalancers.name(gw.getMetadata().getName()),
        gw.getMetadata().getNamespace()));
  }

  Optional<GatewayClassResource> gatewayClass(String name) {
    return name == null ? Optional.empty() : classes.get(new ResourceID(name));
  }

  /** The inputs of a Gateway's translation, from the caches as they are now. */
  GatewayInputs inputs(GatewayResource gw) {
    Map<String, Map<String, String>> labels = new HashMap<>();
    namespaces.list().forEach(n -> labels.put(n.getMetadata().getName(),
        n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels()));
    Map<String, ClusterRefs> refs = new HashMap<>();
    java.util.function.Function<String, ClusterRefs> refsIn = ns -> refs.computeIfAbsent(ns, this::refsIn);
    return new GatewayInputs(gw, routes.list().toList(), tlsRoutes.list().toList(), tcpRoutes.list().toList(),
        grpcRoutes.list().toList(), labels, grants.list().toList(), refsIn,
        new BackendTlsPolicies(backendTlsPolicies(), refsIn), listenerSets.list().toList());
  }

  Optional<Secret> secret(String namespace, String name) {
    return secrets.get(new ResourceID(name, namespace));
  }

  /** The Secrets of {@code namespace} whose label {@code key} is {@code value}. */
  List<Secret> secretsLabelled(String namespace, String key, String value) {
    return secrets.list(namespace, s -> s.getMetadata().getLabels() != null
        && value.equals(s.getMetadata().getLabels().get(key))).toList();
  }

  List<HttpRouteResource> routes() {
    return routes.list().toList();
  }

  List<TlsRouteResource> tlsRoutes() {
    return tlsRoutes.list().toList();
  }

  List<TcpRouteResource> tcpRoutes() {
    return tcpRoutes.list().toList();
  }

  List<BackendTlsPolicyResource> backendTlsPolicies() {
    return backendTlsPolicies.list().toList();
  }

  List<GrpcRouteResource> grpcRoutes() {
    return grpcRoutes.list().toList();
  }

  private ClusterRefs refsIn(String ns) {
    Map<String, Service> svc = services.list(ns).collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s,
        (a, b) -> a));
    Map<String, List<EndpointSlice>> eps = EndpointSlices.byService(slices.list(ns));
    Map<String, Secret> sec = secrets.list(ns).collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s,
        (a, b) -> a));
    Map<String, ConfigMap> maps = configMaps.list(ns).collect(Collectors.toMap(m -> m.getMetadata().getName(),
        m -> m, (a, b) -> a));
    return new ClusterRefs(svc, eps, sec, maps);
  }
}
