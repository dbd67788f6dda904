package dev.gantry.operator.gateway;

import dev.gantry.model.Condition;
import dev.gantry.operator.gateway.api.GatewayApi;
import dev.gantry.operator.gateway.api.ParentRef;
import dev.gantry.operator.gateway.api.RouteStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A route's status with this Gateway's verdicts in it: the entries of this controller for parentRefs naming
 * the Gateway (or one of its ListenerSets) are replaced by the verdicts, every other entry (other Gateways, other controllers) is kept.
 * Pure.
 */
final class RouteStatuses {

  private RouteStatuses() {
  }

  static RouteStatus merge(RouteStatus before, String gatewayNamespace, String gatewayName, String routeNamespace,
      List<ParentVerdict> verdicts, long generation, Instant now) {
    return merge(before, ref -> ref.names(gatewayNamespace, gatewayName, routeNamespace), verdicts, generation, now);
  }

  /**
   * @param parentOfGateway whether a parentRef names the Gateway or one of the ListenerSets naming it
   */
  static RouteStatus merge(RouteStatus before, Predicate<ParentRef> parentOfGateway, List<ParentVerdict> verdicts,
      long generation, Instant now) {
    List<RouteStatus.Parent> out = new ArrayList<>();
    List<RouteStatus.Parent> previous = before == null ? List.of() : before.parentsOrEmpty();
    for (RouteStatus.Parent p : previous) {
      boolean ours = GatewayApi.CONTROLLER_NAME.equals(p.controllerName()) && p.parentRef() != null
          && parentOfGateway.test(p.parentRef());
      if (!ours) {
        out.add(p);
      }
    }
    for (ParentVerdict v : verdicts) {
      List<Condition> was = previous.stream().filter(p -> GatewayApi.CONTROLLER_NAME.equals(p.controllerName())
          && same(p.parentRef(), v.ref())).findFirst().map(RouteStatus.Parent::conditions).orElse(null);
      Conditions c = new Conditions(generation, now, was);
      List<Condition> conditions = new ArrayList<>();
      conditions.add(c.of("Accepted", v.accepted(), v.acceptedReason(), v.acceptedMessage()));
      conditions.add(c.of("ResolvedRefs", "ResolvedRefs".equals(v.refsReason()), v.refsReason(), v.refsMessage()));
      if (v.partiallyInvalid() != null) {
        conditions.add(c.of("PartiallyInvalid", true, "UnsupportedValue", v.partiallyInvalid()));
      }
      out.add(new RouteStatus.Parent(v.ref(), GatewayApi.CONTROLLER_NAME, conditions));
    }
    return new RouteStatus(out);
  }

  private static boolean same(ParentRef a, ParentRef b) {
    return a != null && java.util.Objects.equals(a, b);
  }
}
