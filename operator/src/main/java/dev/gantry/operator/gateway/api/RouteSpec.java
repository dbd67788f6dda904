package dev.gantry.operator.gateway.api;

import java.util.List;

/**
 * What every route kind's spec has: the Gateways it attaches to, its hostnames (none for TCPRoute) and its
 * rules, each read as empty when absent.
 *
 * @param <R> the kind's rule
 */
public interface RouteSpec<R> {

  List<ParentRef> parentRefs();

  List<R> rules();

  /** The hostnames; a route kind without them has none. */
  default List<String> hostnames() {
    return null;
  }

  default List<ParentRef> parentRefsOrEmpty() {
    return parentRefs() == null ? List.of() : parentRefs();
  }

  default List<String> hostnamesOrEmpty() {
    return hostnames() == null ? List.of() : hostnames();
  }

  default List<R> rulesOrEmpty() {
    return rules() == null ? List.of() : rules();
  }
}
