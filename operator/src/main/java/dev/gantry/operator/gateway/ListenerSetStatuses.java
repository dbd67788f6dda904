package dev.gantry.operator.gateway;

import dev.gantry.model.Condition;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.gateway.api.GatewayResource.ListenerStatus;
import dev.gantry.operator.gateway.api.ListenerSetResource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The status of a ListenerSet naming a Gantry Gateway, from the Gateway's plan: {@code Accepted} and
 * {@code Programmed} ({@code NotAllowed} when the Gateway's {@code allowedListeners} refuses it,
 * {@code ParentNotAccepted} when the Gateway is not accepted, {@code ListenersNotValid} when none of its listeners
 * is valid), and per listener {@code Accepted}, {@code Conflicted}, {@code ResolvedRefs} and {@code Programmed} (a
 * listener losing a conflict to one of higher precedence is neither accepted nor programmed, for the conflict's
 * reason), the route kinds it takes and how many routes attached; and the Gateway's count of attached ListenerSets.
 * Pure.
 */
final class ListenerSetStatuses {

  private ListenerSetStatuses() {
  }

  /**
   * @param gatewayAccepted whether the Gateway is accepted
   * @param gatewayProgrammed whether the Gateway's proxies serve its current model
   */
  static ListenerSetResource.Status of(ListenerSets.Judged judged, GatewayPlan plan, boolean gatewayAccepted,
      boolean gatewayProgrammed, Instant now) {
    ListenerSetResource set = judged.set();
    long generation = Objects.requireNonNullElse(set.getMetadata().getGeneration(), 0L);
    ListenerSetResource.Status before = set.getStatus();
    Conditions c = new Conditions(generation, now, before == null ? null : before.conditions());
    List<Condition> conditions = new ArrayList<>();
    if (!judged.allowed()) {
      conditions.add(c.of("Accepted", false, "NotAllowed", "the Gateway's spec.allowedListeners does not allow "
          + "ListenerSets of namespace " + set.getMetadata().getNamespace()));
      conditions.add(c.of("Programmed", false, "NotAllowed", "the ListenerSet is not allowed to attach"));
      return new ListenerSetResource.Status(conditions, null);
    }
    List<CheckedListener> own = plan.listenersOf(judged.owner());
    long valid = own.stream().filter(ListenerSetStatuses::valid).count();
    if (!gatewayAccepted) {
      conditions.add(c.of("Accepted", false, "ParentNotAccepted", "the parent Gateway is not accepted"));
      conditions.add(c.of("Programmed", false, "ParentNotAccepted", "the parent Gateway is not accepted"));
    } else if (valid == 0) {
      conditions.add(c.of("Accepted", false, "ListenersNotValid", "no listener is valid (see their conditions)"));
      conditions.add(c.of("Programmed", false, "ListenersNotValid", "no listener is valid"));
    } else {
      conditions.add(valid == own.size() ? c.of("Accepted", true, "Accepted", "the ListenerSet is accepted")
          : c.of("Accepted", true, "ListenersNotValid", "the ListenerSet is accepted; some listeners are not (see "
              + "their conditions)"));
      conditions.add(gatewayProgrammed ? c.of("Programmed", true, "Programmed", "the proxies serve the ListenerSet")
          : c.of("Programmed", false, "Pending", "waiting for the proxies to serve the ListenerSet"));
    }
    List<ListenerStatus> listeners = new ArrayList<>();
    for (CheckedListener l : own) {
      List<Condition> previous = before == null || before.listeners() == null ? null : before.listeners().stream()
          .filter(s -> l.name().equals(s.name())).findFirst().map(ListenerStatus::conditions).orElse(null);
      listeners.add(new ListenerStatus(l.name(), l.supportedKinds(), plan.attachedRoutes().getOrDefault(l.key(), 0),
          listener(new Conditions(generation, now, previous), l, gatewayAccepted && gatewayProgrammed)));
    }
    return new ListenerSetResource.Status(conditions, listeners);
  }

  /** How many ListenerSets attached to the Gateway (allowed, and accepted); null when it allows none and has none. */
  static Integer attachedCount(GatewayResource gw, GatewayPlan plan) {
    int n = (int) plan.listenerSets().stream().filter(j -> j.allowed()
        && plan.listenersOf(j.owner()).stream().anyMatch(ListenerSetStatuses::valid)).count();
    boolean allows = gw.getSpec() != null && gw.getSpec().allowedListeners() != null;
    return n == 0 && !allows ? null : n;
  }

  /** A listener counts for its ListenerSet's acceptance: accepted, in no conflict, its references resolved. */
  private static boolean valid(CheckedListener l) {
    return l.usable() && l.refsResolved();
  }

  private static List<Condition> listener(Conditions c, CheckedListener l, boolean programmed) {
    List<Condition> out = new ArrayList<>(GatewayStatuses.listener(c, l, programmed));
    if (l.conflicted() && !l.accepted()) {
      out.replaceAll(x -> "Programmed".equals(x.type()) ? c.of("Programmed", false, l.conflictReason(),
          "the listener conflicts with one of higher precedence") : x);
    }
    return out;
  }
}
