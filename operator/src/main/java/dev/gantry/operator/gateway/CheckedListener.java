package dev.gantry.operator.gateway;

import dev.gantry.operator.gateway.api.GatewayResource.Listener;
import dev.gantry.operator.gateway.api.GatewayResource.RouteGroupKind;
import java.util.List;

/**
 * A Gateway listener as checked: whether Gantry accepts it (else {@code acceptedReason} says why), whether it
 * conflicts with another, the route kinds it takes, whether its references resolve, and the Secrets (of the
 * Gateway's namespace) holding its certificates.
 */
record CheckedListener(Listener listener, String acceptedReason, String acceptedMessage, String conflictReason,
    List<RouteGroupKind> supportedKinds, String refsReason, String refsMessage, List<String> certificateSecrets) {

  static final String ACCEPTED = "Accepted";
  static final String RESOLVED_REFS = "ResolvedRefs";

  boolean accepted() {
    return ACCEPTED.equals(acceptedReason);
  }

  boolean conflicted() {
    return conflictReason != null;
  }

  boolean refsResolved() {
    return RESOLVED_REFS.equals(refsReason);
  }

  /** Whether routes may attach and traffic is served: accepted and not in conflict. */
  boolean usable() {
    return accepted() && !conflicted();
  }

  String name() {
    return listener.name();
  }

  int port() {
    return listener.port() == null ? 0 : listener.port();
  }

  boolean takes(String group, String kind) {
    return supportedKinds.stream().anyMatch(k -> group.equals(k.group()) && kind.equals(k.kind()));
  }
}
