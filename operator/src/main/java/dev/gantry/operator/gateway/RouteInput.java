package dev.gantry.operator.gateway;

import dev.gantry.operator.gateway.api.GatewayApi;
import dev.gantry.operator.gateway.api.GrpcRouteResource;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.gateway.api.ParentRef;
import dev.gantry.operator.gateway.api.TcpRouteResource;
import dev.gantry.operator.gateway.api.TlsRouteResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.function.Function;

/**
 * A route of any kind, as the Gateway's translation sees it: the object, its kind, its parentRefs and
 * hostnames, whether it is HTTP, and how its rules become the model's (given how backendRefs resolve).
 */
record RouteInput(HasMetadata resource, String kind, List<ParentRef> parentRefs, List<String> hostnames,
    boolean http, Function<Function<dev.gantry.operator.gateway.api.HttpRouteResource.BackendRef,
        BackendRefs.Resolved>, RouteRules> rules) {

  static RouteInput of(HttpRouteResource r) {
    return new RouteInput(r, GatewayApi.HTTP_ROUTE, r.getSpec() == null ? List.of() : r.getSpec().parentRefsOrEmpty(),
        r.getSpec() == null ? List.of() : r.getSpec().hostnamesOrEmpty(), true,
        resolver -> HttpRouteTranslator.translate(r, resolver));
  }

  static RouteInput of(TlsRouteResource r) {
    return new RouteInput(r, GatewayApi.TLS_ROUTE, r.getSpec() == null ? List.of() : r.getSpec().parentRefsOrEmpty(),
        r.getSpec() == null ? List.of() : r.getSpec().hostnamesOrEmpty(), false,
        resolver -> TlsRouteTranslator.translate(r, resolver));
  }

  static RouteInput of(TcpRouteResource r) {
    return new RouteInput(r, GatewayApi.TCP_ROUTE, r.getSpec() == null ? List.of() : r.getSpec().parentRefsOrEmpty(),
        List.of(), false, resolver -> TlsRouteTranslator.rules(r.getSpec() == null ? List.of()
            : r.getSpec().rulesOrEmpty(), resolver));
  }

  static RouteInput of(GrpcRouteResource r) {
    return new RouteInput(r, GatewayApi.GRPC_ROUTE, r.getSpec() == null ? List.of() : r.getSpec().parentRefsOrEmpty(),
        r.getSpec() == null ? List.of() : r.getSpec().hostnamesOrEmpty(), true,
        resolver -> GrpcRouteTranslator.translate(r, resolver));
  }

  /** Whether the route's connections go to its TCP listeners' default backend rather than through routes. */
  boolean tcp() {
    return GatewayApi.TCP_ROUTE.equals(kind);
  }

  String namespace() {
    return resource.getMetadata().getNamespace();
  }

  String name() {
    return resource.getMetadata().getName();
  }
}
