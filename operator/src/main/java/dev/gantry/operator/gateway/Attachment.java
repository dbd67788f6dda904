package dev.gantry.operator.gateway;

import java.util.List;
import java.util.Map;

/**
 * Where a route attaches for one of its parentRefs: the listeners it attaches to with the hostnames it serves
 * on each (empty: any host), or why it attaches nowhere ({@code reason} of the {@code Accepted} condition).
 */
record Attachment(Map<CheckedListener, List<String>> listeners, String reason, String message) {

  boolean attached() {
    return !listeners.isEmpty();
  }

  static Attachment refused(String reason, String message) {
    return new Attachment(Map.of(), reason, message);
  }
}
