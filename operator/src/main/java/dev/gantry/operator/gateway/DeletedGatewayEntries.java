package dev.gantry.operator.gateway;

import dev.gantry.operator.gateway.api.GatewayApi;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.gateway.api.GrpcRouteResource;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.gateway.api.RouteStatus;
import dev.gantry.operator.gateway.api.TcpRouteResource;
import dev.gantry.operator.gateway.api.TlsRouteResource;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes from the routes' status the entries Gantry wrote for Gateways that no longer exist. A Gateway carries no
 * finalizer (Gantry would have to put one on the Gateways of every class to see its own go), so the GatewayClass
 * reconciler, which a Gateway's deletion triggers, sweeps instead. Entries of other controllers, of other parent
 * kinds and of Gateways that exist are kept; a route's parentRef that no longer names an existing Gateway loses its
 * entry when that Gateway is reconciled ({@link RouteStatuses}).
 */
final class DeletedGatewayEntries {

  private static final Logger LOG = LoggerFactory.getLogger(DeletedGatewayEntries.class);

  private static final int CONFLICT = 409;
  private static final int NOT_FOUND = 404;
  private static final int ATTEMPTS = 5;

  private final KubernetesClient client;

  DeletedGatewayEntries(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Sweeps every route of the cluster; {@code known} says whether the Gateway informer holds a Gateway. False when
   * the API server refused a read or a write (logged): the sweep is to be tried again.
   */
  boolean sweep(Predicate<ResourceID> known) {
    boolean done = sweep(HttpRouteResource.class, known);
    done &= sweep(GrpcRouteResource.class, known);
    done &= sweep(TlsRouteResource.class, known);
    return sweep(TcpRouteResource.class, known) && done;
  }

  private <R extends CustomResource<?, RouteStatus>> boolean sweep(Class<R> type, Predicate<ResourceID> known) {
    try {
      sweepAll(type, known);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == NOT_FOUND) {
        return true; // the route kind's CRD is not installed
      }
      LOG.warn("the status of {} not swept of deleted Gateways, will retry: {}", type.getSimpleName(), e.getMessage());
      return false;
    }
  }

  private <R extends CustomResource<?, RouteStatus>> void sweepAll(Class<R> type, Predicate<ResourceID> known) {
    for (R route : client.resources(type).inAnyNamespace().list().getItems()) {
      String ns = route.getMetadata().getNamespace();
      // one just made may not be in the informer yet: asked again before its entries go
      Set<ResourceID> gone = stale(route.getStatus(), ns, known.or(id -> client.resources(GatewayResource.class)
          .inNamespace(id.getNamespace().orElseThrow()).withName(id.getName()).get() != null).negate());
      if (gone.isEmpty()) {
        continue;
      }
      LOG.info("{}({}/{}): removing the status of deleted Gateways {}", route.getKind(), ns,
          route.getMetadata().getName(), gone);
      edit(type, route, gone);
    }
  }

  /**
   * Writes the route's status without the entries, from its latest version each time: the Gateway reconciler may
   * write the same status meanwhile, and a write over another is refused (409).
   */
  private <R extends CustomResource<?, RouteStatus>> void edit(Class<R> type, R route, Set<ResourceID> gone) {
    String ns = route.getMetadata().getNamespace();
    for (int attempt = 1; ; attempt++) {
      try {
        client.resources(type).inNamespace(ns).withName(route.getMetadata().getName()).editStatus(r -> {
          r.setStatus(without(r.getStatus(), ns, gone));
          return r;
        });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != CONFLICT || attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** The Gateways Gantry's entries in a route's status name that {@code gone} says no longer exist. Pure. */
  static Set<ResourceID> stale(RouteStatus status, String routeNamespace, Predicate<ResourceID> gone) {
    Set<ResourceID> out = new LinkedHashSet<>();
    for (RouteStatus.Parent p : status == null ? List.<RouteStatus.Parent>of() : status.parentsOrEmpty()) {
      if (!GatewayApi.CONTROLLER_NAME.equals(p.controllerName()) || p.parentRef() == null
          || p.parentRef().name() == null) {
        continue;
      }
      String gwNs = p.parentRef().namespace() == null ? routeNamespace : p.parentRef().namespace();
      ResourceID id = new ResourceID(p.parentRef().name(), gwNs);
      if (p.parentRef().names(gwNs, p.parentRef().name(), routeNamespace) && !out.contains(id) && gone.test(id)) {
        out.add(id);
      }
    }
    return out;
  }

  /** A route's status without Gantry's entries for the Gateways {@code gone}. Pure. */
  static RouteStatus without(RouteStatus status, String routeNamespace, Set<ResourceID> gone) {
    RouteStatus out = status;
    for (ResourceID id : gone) {
      out = RouteStatuses.merge(out, id.getNamespace().orElseThrow(), id.getName(), routeNamespace, List.of(), 0,
          Instant.EPOCH);
    }
    return out;
  }
}
