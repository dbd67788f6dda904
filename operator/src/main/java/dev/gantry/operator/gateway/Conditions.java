package dev.gantry.operator.gateway;

import dev.gantry.model.Condition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Builds {@code metav1.Condition}s that keep their {@code lastTransitionTime} while their status stays. Pure. */
record Conditions(long generation, Instant now, List<Condition> previous) {

  Conditions {
    previous = previous == null ? List.of() : previous;
  }

  Condition of(String type, boolean status, String reason, String message) {
    String s = status ? "True" : "False";
    String since = now.truncatedTo(ChronoUnit.SECONDS).toString();
    for (Condition c : previous) {
      if (type.equals(c.type()) && s.equals(c.status()) && c.lastTransitionTime() != null) {
        since = c.lastTransitionTime();
      }
    }
    return new Condition(type, s, generation, since, reason, message);
  }
}
