package dev.gantry.operator.gateway;

import dev.gantry.operator.gateway.api.GatewayResource.Listener;
import dev.gantry.operator.gateway.api.GatewayResource.RouteGroupKind;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Map;

/**
 * A Gateway listener as checked: whether Gantry accepts it (else {@code acceptedReason} says why), whether it
 * conflicts with another, the route kinds it takes, whether its references resolve, and the Secrets (of the
 * Gateway's namespace) holding its certificates; {@code copies} are those among them to be made from a Secret of
 * another namespace that a ReferenceGrant lets the Gateway use (by name of the copy); {@code owner} is the
 * ListenerSet declaring it, or null for a listener of the Gateway itself.
 */
record CheckedListener(Listener listener, String acceptedReason, String acceptedMessage, String conflictReason,
    List<RouteGroupKind> supportedKinds, String refsReason, String refsMessage, List<String> certificateSecrets,
    Map<String, Secret> copies, ListenerOwner owner) {

  /** A listener of the Gateway itself. */
  CheckedListener(Listener listener, String acceptedReason, String acceptedMessage, String conflictReason,
      List<RouteGroupKind> supportedKinds, String refsReason, String refsMessage, List<String> certificateSecrets,
      Map<String, Secret> copies) {
    this(listener, acceptedReason, acceptedMessage, conflictReason, supportedKinds, refsReason, refsMessage,
        certificateSecrets, copies, null);
  }

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

  /** Whether the Gateway itself declares the listener (rather than a ListenerSet). */
  boolean ofGateway() {
    return owner == null;
  }

  /** Unique among the listeners of a Gateway and its ListenerSets: the name, prefixed by a ListenerSet's. */
  String key() {
    return owner == null ? listener.name() : owner.namespace() + "/" + owner.name() + "/" + listener.name();
  }

  /** The listener with another {@code Accepted} verdict and conflict. */
  CheckedListener refused(String reason, String message, String conflict) {
    return new CheckedListener(listener, reason, message, conflict, supportedKinds, refsReason, refsMessage,
        certificateSecrets, copies, owner);
  }

  int port() {
    return listener.port() == null ? 0 : listener.port();
  }

  boolean takes(String group, String kind) {
    return supportedKinds.stream().anyMatch(k -> group.equals(k.group()) && kind.equals(k.kind()));
  }
}
