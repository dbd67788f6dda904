package dev.gantry.operator.gateway;

import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.gateway.api.GrpcRouteResource;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.gateway.api.ListenerSetResource;
import dev.gantry.operator.gateway.api.ReferenceGrantResource;
import dev.gantry.operator.gateway.api.TcpRouteResource;
import dev.gantry.operator.gateway.api.TlsRouteResource;
import dev.gantry.operator.translate.ClusterRefs;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything a Gateway is translated from: itself, the HTTPRoutes, TLSRoutes, TCPRoutes and GRPCRoutes of the
 * cluster (those naming it are picked out), the labels of each namespace, the ReferenceGrants, the Services, EndpointSlices, Secrets and ConfigMaps
 * of any namespace, the BackendTLSPolicies, and the ListenerSets (those naming it are picked out).
 */
record GatewayInputs(GatewayResource gateway, List<HttpRouteResource> routes, List<TlsRouteResource> tlsRoutes,
    List<TcpRouteResource> tcpRoutes, List<GrpcRouteResource> grpcRoutes,
    Map<String, Map<String, String>> namespaceLabels, List<ReferenceGrantResource> grants,
    Function<String, ClusterRefs> refsIn, BackendTlsPolicies backendTls, List<ListenerSetResource> listenerSets) {

  /** Without ListenerSets. */
  GatewayInputs(GatewayResource gateway, List<HttpRouteResource> routes, List<TlsRouteResource> tlsRoutes,
      List<TcpRouteResource> tcpRoutes, List<GrpcRouteResource> grpcRoutes,
      Map<String, Map<String, String>> namespaceLabels, List<ReferenceGrantResource> grants,
      Function<String, ClusterRefs> refsIn, BackendTlsPolicies backendTls) {
    this(gateway, routes, tlsRoutes, tcpRoutes, grpcRoutes, namespaceLabels, grants, refsIn, backendTls, List.of());
  }

  /** Without BackendTLSPolicies. */
  GatewayInputs(GatewayResource gateway, List<HttpRouteResource> routes, List<TlsRouteResource> tlsRoutes,
      List<TcpRouteResource> tcpRoutes, List<GrpcRouteResource> grpcRoutes,
      Map<String, Map<String, String>> namespaceLabels, List<ReferenceGrantResource> grants,
      Function<String, ClusterRefs> refsIn) {
    this(gateway, routes, tlsRoutes, tcpRoutes, grpcRoutes, namespaceLabels, grants, refsIn,
        BackendTlsPolicies.NONE);
  }

  /** Without TCPRoutes and GRPCRoutes. */
  GatewayInputs(GatewayResource gateway, List<HttpRouteResource> routes, List<TlsRouteResource> tlsRoutes,
      Map<String, Map<String, String>> namespaceLabels, List<ReferenceGrantResource> grants,
      Function<String, ClusterRefs> refsIn) {
    this(gateway, routes, tlsRoutes, List.of(), List.of(), namespaceLabels, grants, refsIn);
  }

  /** Without TLSRoutes. */
  GatewayInputs(GatewayResource gateway, List<HttpRouteResource> routes,
      Map<String, Map<String, String>> namespaceLabels, List<ReferenceGrantResource> grants,
      Function<String, ClusterRefs> refsIn) {
    this(gateway, routes, List.of(), namespaceLabels, grants, refsIn);
  }
}
