package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Condition;
import dev.gantry.operator.gateway.api.ParentRef;
import dev.gantry.operator.gateway.api.RouteStatus;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which status entries of a route name deleted Gateways, and the status without them. */
class DeletedGatewayEntriesTest {

  static final List<Condition> ACCEPTED = List.of(new Condition("Accepted", "True", 1L, "2026-01-01T00:00:00Z",
      "Accepted", "the route is accepted"));

  static RouteStatus.Parent entry(String controller, ParentRef ref) {
    return new RouteStatus.Parent(ref, controller, ACCEPTED);
  }

  static ParentRef gateway(String namespace, String name) {
    return new ParentRef(null, null, namespace, name, null, null);
  }

  @Test
  void onlyGantrysEntriesOfDeletedGatewaysGo() {
    RouteStatus status = new RouteStatus(List.of(
        entry("gantry.dev/gateway-controller", gateway(null, "gone")),
        entry("gantry.dev/gateway-controller", new ParentRef(null, null, null, "gone", "http", null)),
        entry("gantry.dev/gateway-controller", gateway("infra", "kept")),
        entry("example.com/other", gateway(null, "gone")),
        entry("gantry.dev/gateway-controller", new ParentRef("gateway.networking.k8s.io", "ListenerSet", null,
            "gone", null, null))));
    Set<ResourceID> gone = DeletedGatewayEntries.stale(status, "shop",
        id -> id.equals(new ResourceID("gone", "shop")));
    assertThat(gone).containsExactly(new ResourceID("gone", "shop"));

    RouteStatus after = DeletedGatewayEntries.without(status, "shop", gone);
    assertThat(after.parentsOrEmpty()).extracting(p -> p.controllerName() + " " + p.parentRef().kind() + " "
        + p.parentRef().name()).containsExactly(
            "gantry.dev/gateway-controller null kept",
            "example.com/other null gone",
            "gantry.dev/gateway-controller ListenerSet gone");
    assertThat(after.parentsOrEmpty().get(0).conditions()).isEqualTo(ACCEPTED);
  }

  @Test
  void nothingIsStaleWhileItsGatewaysExist() {
    RouteStatus status = new RouteStatus(List.of(entry("gantry.dev/gateway-controller", gateway(null, "edge"))));
    assertThat(DeletedGatewayEntries.stale(status, "shop", id -> false)).isEmpty();
    assertThat(DeletedGatewayEntries.stale(null, "shop", id -> true)).isEmpty();
  }
}
