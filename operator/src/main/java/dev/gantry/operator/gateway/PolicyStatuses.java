package dev.gantry.operator.gateway;

import dev.gantry.model.Condition;
import dev.gantry.operator.gateway.api.BackendTlsPolicyResource;
import dev.gantry.operator.gateway.api.BackendTlsPolicyResource.Ancestor;
import dev.gantry.operator.gateway.api.GatewayApi;
import dev.gantry.operator.gateway.api.ParentRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A BackendTLSPolicy's status with this Gateway's verdict in it: this controller's entry for the Gateway is
 * replaced by the verdict (or removed, when the Gateway's routes no longer use a Service the policy targets);
 * every other entry is kept. Pure.
 */
final class PolicyStatuses {

  private PolicyStatuses() {
  }

  static BackendTlsPolicyResource.Status merge(BackendTlsPolicyResource.Status before, String gatewayNamespace,
      String gatewayName, BackendTlsPolicies.Verdict verdict, long generation, Instant now) {
    ParentRef gateway = new ParentRef(GatewayApi.GROUP, GatewayApi.GATEWAY, gatewayNamespace, gatewayName, null,
        null);
    List<Ancestor> out = new ArrayList<>();
    List<Condition> was = null;
    for (Ancestor a : before == null ? List.<Ancestor>of() : before.ancestorsOrEmpty()) {
      boolean ours = GatewayApi.CONTROLLER_NAME.equals(a.controllerName()) && a.ancestorRef() != null
          && a.ancestorRef().names(gatewayNamespace, gatewayName, gatewayNamespace);
      if (ours) {
        was = a.conditions();
      } else {
        out.add(a);
      }
    }
    if (verdict != null) {
      Conditions c = new Conditions(generation, now, was);
      out.add(new Ancestor(gateway, GatewayApi.CONTROLLER_NAME, List.of(
          c.of("Accepted", verdict.accepted(), verdict.acceptedReason(), verdict.acceptedMessage()),
          c.of("ResolvedRefs", verdict.resolved(), verdict.refsReason(), verdict.refsMessage()))));
    }
    return new BackendTlsPolicyResource.Status(out);
  }
}
