package dev.gantry.operator.gateway;

import dev.gantry.model.HeaderModifier;
import dev.gantry.operator.gateway.api.HttpRouteResource.BackendRef;
import dev.gantry.operator.gateway.api.HttpRouteResource.Filter;
import java.util.List;

/**
 * The filters of an HTTPRoute's or a GRPCRoute's backendRef: {@code RequestHeaderModifier} is served, as request header changes
 * made when that backend is chosen, after the rule's own; any other filter leaves the rule out. Pure.
 */
final class BackendFilters {

  private BackendFilters() {
  }

  /** Why the model cannot serve a backendRef's filters, or null. */
  static String unsupported(BackendRef ref) {
    for (Filter f : filters(ref)) {
      if (!HttpRouteFilters.REQUEST_HEADERS.equals(f.type())) {
        return "filter " + f.type() + " on a backendRef is not supported";
      }
      if (f.requestHeaderModifier() == null) {
        return "RequestHeaderModifier on backendRef " + ref.name() + " has no settings";
      }
    }
    return null;
  }

  /** The request header changes of a backendRef, or null when it has none. */
  static HeaderModifier requestHeaders(BackendRef ref) {
    for (Filter f : filters(ref)) {
      if (HttpRouteFilters.REQUEST_HEADERS.equals(f.type()) && f.requestHeaderModifier() != null) {
        return HttpRouteFilters.modifier(f.requestHeaderModifier());
      }
    }
    return null;
  }

  private static List<Filter> filters(BackendRef ref) {
    return ref.filters() == null ? List.of() : ref.filters();
  }
}
