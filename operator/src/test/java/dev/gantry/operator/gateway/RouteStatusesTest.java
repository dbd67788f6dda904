package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Condition;
import dev.gantry.operator.gateway.api.ParentRef;
import dev.gantry.operator.gateway.api.RouteStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Gateway writes only its own entries of a route's status, and keeps when each condition changed. */
class RouteStatusesTest {

  static final ParentRef OURS = new ParentRef(null, null, null, "gw", null, null);
  static final ParentRef OTHER_GATEWAY = new ParentRef(null, null, null, "gw2", null, null);
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static RouteStatus.Parent entry(ParentRef ref, String controller, String reason) {
    return new RouteStatus.Parent(ref, controller, List.of(new Condition("Accepted", "True", 1L,
        T0.toString(), reason, "")));
  }

  @Test
  void entriesOfOtherGatewaysAndControllersAreKeptAndOursReplaced() {
    RouteStatus before = new RouteStatus(List.of(
        entry(OURS, "example.com/other", "Accepted"),
        entry(OTHER_GATEWAY, "gantry.dev/gateway-controller", "Accepted"),
        entry(OURS, "gantry.dev/gateway-controller", "Accepted")));
    ParentVerdict refused = new ParentVerdict(OURS, "NotAllowedByListeners", "no", "ResolvedRefs", "ok", null);

    RouteStatus after = RouteStatuses.merge(before, "ns", "gw", "ns", List.of(refused), 2, T0.plusSeconds(60));

    assertThat(after.parents()).hasSize(3);
    assertThat(after.parents().subList(0, 2)).isEqualTo(before.parents().subList(0, 2));
    RouteStatus.Parent ours = after.parents().get(2);
    assertThat(ours.conditions()).extracting(Condition::type, Condition::status, Condition::reason,
        Condition::observedGeneration).containsExactly(
            org.assertj.core.groups.Tuple.tuple("Accepted", "False", "NotAllowedByListeners", 2L),
            org.assertj.core.groups.Tuple.tuple("ResolvedRefs", "True", "ResolvedRefs", 2L));
    // Accepted changed status: its transition time is now
    assertThat(ours.conditions().get(0).lastTransitionTime()).isEqualTo(T0.plusSeconds(60).toString());
  }

  @Test
  void aConditionThatKeepsItsStatusKeepsItsTransitionTimeAndARouteNoLongerNamingTheGatewayLosesItsEntry() {
    RouteStatus before = new RouteStatus(List.of(entry(OURS, "gantry.dev/gateway-controller", "Accepted")));
    ParentVerdict accepted = new ParentVerdict(OURS, "Accepted", "ok", "ResolvedRefs", "ok", null);

    RouteStatus kept = RouteStatuses.merge(before, "ns", "gw", "ns", List.of(accepted), 3, T0.plusSeconds(60));
    assertThat(kept.parents().get(0).conditions().get(0).lastTransitionTime()).isEqualTo(T0.toString());
    assertThat(kept.parents().get(0).conditions().get(0).observedGeneration()).isEqualTo(3L);

    RouteStatus gone = RouteStatuses.merge(before, "ns", "gw", "ns", List.of(), 3, T0.plusSeconds(60));
    assertThat(gone.parents()).isEmpty();
  }
}
