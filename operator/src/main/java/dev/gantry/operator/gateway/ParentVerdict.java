package dev.gantry.operator.gateway;

import dev.gantry.operator.gateway.api.ParentRef;

/**
 * What a route is told for one parentRef naming a Gantry Gateway: its {@code Accepted} and {@code ResolvedRefs}
 * reasons and messages, and the rules left out ({@code PartiallyInvalid}), or null when none were.
 */
record ParentVerdict(ParentRef ref, String acceptedReason, String acceptedMessage, String refsReason,
    String refsMessage, String partiallyInvalid) {

  boolean accepted() {
    return "Accepted".equals(acceptedReason);
  }
}
