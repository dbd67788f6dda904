package dev.gantry.operator.gateway;

import dev.gantry.model.Durations;
import java.time.Duration;
import java.util.Map;

/**
 * An HTTPRoute rule's {@code timeouts} as the model route's {@code timeout}. {@code request} bounds the whole
 * request, {@code backendRequest} each call to a backend; the model has one bound, over the whole exchange
 * (retries included), so the route gets the shorter of the two that limit anything. {@code 0s} is no limit.
 * Pure.
 */
final class HttpRouteTimeouts {

  private HttpRouteTimeouts() {
  }

  /** Why the rule's timeouts cannot be served, or null. */
  static String unsupported(Map<String, Object> timeouts) {
    if (timeouts == null) {
      return null;
    }
    for (Map.Entry<String, Object> e : timeouts.entrySet()) {
      if (!e.getKey().equals("request") && !e.getKey().equals("backendRequest")) {
        return "timeouts." + e.getKey() + " is not supported";
      }
      if (e.getValue() != null && !Durations.isValid(String.valueOf(e.getValue()))) {
        return "timeouts." + e.getKey() + " \"" + e.getValue() + "\" is not a duration such as 500ms, 10s or 1h";
      }
    }
    return null;
  }

  /**
   * The model route's timeout: null when the rule sets none (the listener's inactivity timeouts apply),
   * {@code 0s} when every one it sets is {@code 0s}, else the shortest one above zero.
   */
  static String timeout(Map<String, Object> timeouts) {
    if (timeouts == null) {
      return null;
    }
    Duration shortest = null;
    boolean any = false;
    for (String key : new String[] {"request", "backendRequest"}) {
      Object v = timeouts.get(key);
      if (v == null) {
        continue;
      }
      any = true;
      Duration d = Durations.parse(String.valueOf(v));
      if (!d.isZero() && (shortest == null || d.compareTo(shortest) < 0)) {
        shortest = d;
      }
    }
    if (!any) {
      return null;
    }
    return shortest == null ? "0s" : Durations.format(shortest);
  }
}
