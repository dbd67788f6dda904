package dev.gantry.operator.gateway;

import dev.gantry.model.Backend;
import dev.gantry.model.Endpoint;
import dev.gantry.model.ServiceRef;
import dev.gantry.operator.gateway.api.GatewayApi;
import dev.gantry.operator.gateway.api.HttpRouteResource.BackendRef;
import dev.gantry.operator.gateway.api.ReferenceGrantResource;
import dev.gantry.operator.ingress.Labels;
import dev.gantry.operator.translate.ClusterRefs;
import dev.gantry.operator.translate.EndpointResolver;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.function.Function;

/**
 * A route's backendRef as a backend of the model: a Service of the Gateway's namespace stays a Service
 * reference (the load balancer resolves and follows it); a Service of another namespace, allowed by a
 * ReferenceGrant, is resolved here to its ready endpoints. A reference that cannot be used gets the
 * {@link #unusable} backend, so its share of requests fails instead of going elsewhere: with 500 on HTTP
 * routes, as Gateway API requires, by a refused connection on TLS routes. Pure.
 */
final class BackendRefs {

  /** For HTTP routes: a backend the proxy answers itself with 500. */
  static final Backend INVALID = Backend.ofFixedResponse("gateway-invalid-backend", 500);

  /** For TLS routes: a backend no connection can reach, loopback port 9 of the proxy pod, where nothing listens. */
  static final Backend UNRESOLVED = Backend.ofEndpoints("gateway-unresolved", List.of(Endpoint.of("127.0.0.1", 9)));

  /** The backend that takes the share of a reference that cannot be used. */
  static Backend unusable(boolean http) {
    return http ? INVALID : UNRESOLVED;
  }

  /** The model backend, or {@link #unusable} with the reason and message of the failure. */
  record Resolved(Backend backend, String reason, String message) {
    boolean ok() {
      return reason == null;
    }
  }

  private BackendRefs() {
  }

  /**
   * @param routeKind the kind of the route, for ReferenceGrants
   * @param http whether the route is HTTP (the Service port's appProtocol then says how to speak to it)
   */
  static Resolved resolve(BackendRef ref, String routeKind, boolean http, String routeNamespace,
      String gatewayNamespace, List<ReferenceGrantResource> grants, Function<String, ClusterRefs> refsIn) {
    String group = GatewayApi.groupOr(ref.group(), "");
    String kind = ref.kind() == null ? GatewayApi.SERVICE : ref.kind();
    if (!group.isEmpty() || !GatewayApi.SERVICE.equals(kind)) {
      return failed(http, "InvalidKind", "backendRef " + (group.isEmpty() ? "" : group + "/") + kind + " " + ref.name()
          + " is not a Service");
    }
    String ns = ref.namespace() == null ? routeNamespace : ref.namespace();
    if (!ReferenceGrants.permits(grants, new ReferenceGrants.Reference(GatewayApi.GROUP, routeKind,
        routeNamespace, "", GatewayApi.SERVICE, ns, ref.name()))) {
      return failed(http, "RefNotPermitted", "no ReferenceGrant in " + ns + " lets " + routeKind + "s of "
          + routeNamespace + " use Service " + ref.name());
    }
    if (ref.port() == null) {
      return failed(http, "UnsupportedValue", "backendRef Service " + ref.name() + " needs a port");
    }
    ClusterRefs refs = refsIn.apply(ns);
    Service service = refs.services().get(ref.name());
    if (service == null) {
      return failed(http, "BackendNotFound", "Service " + ns + "/" + ref.name() + " not found");
    }
    boolean hasPort = service.getSpec() != null && service.getSpec().getPorts() != null && service.getSpec()
        .getPorts().stream().anyMatch(p -> p.getPort() != null && p.getPort().equals(ref.port()));
    if (!hasPort) {
      return failed(http, "BackendNotFound", "Service " + ns + "/" + ref.name() + " has no port " + ref.port());
    }
    String port = Integer.toString(ref.port());
    if (ns.equals(gatewayNamespace)) {
      return new Resolved(Backend.ofService(Labels.of("svc", ref.name(), port), new ServiceRef(ref.name(), port)),
          null, null);
    }
    Backend b = Backend.ofService(Labels.of("svc", ns, ref.name(), port), new ServiceRef(ref.name(), port));
    Backend resolved = EndpointResolver.resolve(b, refs, http).backend();
    if (resolved.endpointsOrEmpty().isEmpty()) {
      // no ready endpoint: requests fail as they do for a Service of the Gateway's own namespace
      resolved = new Backend(resolved.name(), null, UNRESOLVED.endpoints(), resolved.balance(), null, null, null,
          resolved.protocol(), null);
    }
    return new Resolved(resolved, null, null);
  }

  private static Resolved failed(boolean http, String reason, String message) {
    return new Resolved(unusable(http), reason, message);
  }
}
