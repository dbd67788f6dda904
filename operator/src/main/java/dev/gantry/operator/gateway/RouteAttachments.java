package dev.gantry.operator.gateway;

import dev.gantry.operator.gateway.api.GatewayApi;
import dev.gantry.operator.gateway.api.GatewayResource.RouteNamespaces;
import dev.gantry.operator.gateway.api.ParentRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which listeners of a Gateway a route attaches to through one parentRef, as the specification says: the
 * listener named by {@code sectionName} and/or on {@code port} (all when neither), those allowing the route's
 * namespace and kind, and of those the ones sharing a hostname with the route. Pure.
 */
final class RouteAttachments {

  private RouteAttachments() {
  }

  /**
   * @param namespaceLabels the labels of the route's namespace
   */
  static Attachment attach(ParentRef ref, String kind, String routeNamespace, Map<String, String> namespaceLabels,
      List<String> routeHostnames, String gatewayNamespace, List<CheckedListener> listeners) {
    List<CheckedListener> named = listeners.stream()
        .filter(l -> ref.sectionName() == null || ref.sectionName().equals(l.name()))
        .filter(l -> ref.port() == null || ref.port() == l.port())
        .toList();
    if (named.isEmpty()) {
      return Attachment.refused("NoMatchingParent", "the Gateway has no listener"
          + (ref.sectionName() == null ? "" : " named " + ref.sectionName())
          + (ref.port() == null ? "" : " on port " + ref.port()));
    }
    List<CheckedListener> usable = named.stream().filter(CheckedListener::usable).toList();
    if (usable.isEmpty()) {
      return Attachment.refused("NoMatchingParent", "no listener it names is accepted without conflicts");
    }
    List<CheckedListener> allowed = usable.stream()
        .filter(l -> allows(l, routeNamespace, namespaceLabels, gatewayNamespace))
        .filter(l -> l.takes(GatewayApi.GROUP, kind))
        .toList();
    if (allowed.isEmpty()) {
      return Attachment.refused("NotAllowedByListeners", "no listener it names allows " + kind + "s of namespace "
          + routeNamespace);
    }
    Map<CheckedListener, List<String>> out = new LinkedHashMap<>();
    for (CheckedListener l : allowed) {
      List<String> hosts = Hostnames.intersect(l.listener().hostname(), routeHostnames);
      if (hosts != null) {
        out.put(l, hosts);
      }
    }
    if (out.isEmpty()) {
      return Attachment.refused("NoMatchingListenerHostname", "no hostname of the route matches a listener's "
          + "hostname");
    }
    return new Attachment(out, "Accepted", "the route is accepted");
  }

  static boolean allows(CheckedListener l, String routeNamespace, Map<String, String> labels, String gatewayNamespace) {
    RouteNamespaces ns = l.listener().allowedRoutes() == null ? null : l.listener().allowedRoutes().namespaces();
    String from = ns == null || ns.from() == null ? "Same" : ns.from();
    return switch (from) {
      case "All" -> true;
      case "Selector" -> NamespaceSelectors.matches(ns.selector(), labels);
      case "Same" -> routeNamespace.equals(gatewayNamespace);
      default -> false;
    };
  }
}
