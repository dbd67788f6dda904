package dev.gantry.operator.status;

import dev.gantry.model.Condition;
import dev.gantry.model.LoadBalancerStatus;
import dev.gantry.operator.translate.Finding;
import dev.gantry.operator.translate.Resolution;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns what a reconciliation observed into the LoadBalancer's status: the conditions {@code Accepted},
 * {@code Programmed} and {@code Ready} with reasons and messages naming what is wrong, and the figures.
 * A condition keeps its {@code lastTransitionTime} while its status does not change.
 */
public final class StatusAggregator {

  public static final String ACCEPTED = "Accepted";
  public static final String PROGRAMMED = "Programmed";
  public static final String READY = "Ready";
  /** The reason of {@code Programmed: False} when the API server refused the cluster IPs asked for. */
  public static final String ADDRESS_NOT_USABLE = "AddressNotUsable";
  /** metav1.Condition allows 32768; status stays readable well below that. */
  static final int MAX_MESSAGE = 4000;

  private StatusAggregator() {
  }

  public static LoadBalancerStatus aggregate(Observed o) {
    List<Condition> conditions = List.of(accepted(o), programmed(o), ready(o));
    Resolution r = o.resolution();
    return new LoadBalancerStatus(o.generation(), conditions, o.addresses().isEmpty() ? null : o.addresses(),
        r.listeners(), r.backends(), o.readyReplicas() == null ? 0 : o.readyReplicas());
  }

  private static Condition accepted(Observed o) {
    Resolution r = o.resolution();
    if (r.findings().isEmpty()) {
      return condition(o, ACCEPTED, true, "Accepted", "the spec is valid and every reference is resolved");
    }
    // the first finding leads: problems of the spec itself come before missing references
    String reason = r.findings().get(0).reason();
    String message = r.findings().stream().map(Finding::message).distinct().collect(Collectors.joining("; "));
    return condition(o, ACCEPTED, false, reason, message);
  }

  private static Condition programmed(Observed o) {
    if (!o.resolution().servable()) {
      return condition(o, PROGRAMMED, false, Finding.INVALID, "nothing of generation " + o.generation()
          + " can be served; the proxies keep serving the last good model");
    }
    if (o.addressRefusal() != null) {
      return condition(o, PROGRAMMED, false, ADDRESS_NOT_USABLE, o.addressRefusal());
    }
    return condition(o, PROGRAMMED, true, "Programmed", "the model of generation " + o.generation() + " is written");
  }

  private static Condition ready(Observed o) {
    if (!o.resolution().servable()) {
      return condition(o, READY, false, "NotProgrammed", "generation " + o.generation() + " is not programmed");
    }
    if (o.desiredReplicas() == 0) {
      return condition(o, READY, false, "ScaledToZero", "spec.deployment.replicas is 0");
    }
    if (o.servingPods() >= o.desiredReplicas()) {
      return condition(o, READY, true, "Ready", o.servingPods() + " proxy pod(s) serve generation " + o.generation());
    }
    return condition(o, READY, false, "Pending", o.servingPods() + " of " + o.desiredReplicas()
        + " proxy pod(s) serve generation " + o.generation());
  }

  private static Condition condition(Observed o, String type, boolean status, String reason, String message) {
    String s = status ? "True" : "False";
    String since = o.now().truncatedTo(ChronoUnit.SECONDS).toString();
    if (o.previous() != null && o.previous().conditions() != null) {
      for (Condition c : o.previous().conditions()) {
        if (type.equals(c.type()) && s.equals(c.status()) && c.lastTransitionTime() != null) {
          since = c.lastTransitionTime();
        }
      }
    }
    String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
    return new Condition(type, s, o.generation(), since, reason, text);
  }

  /** The condition of a type in a status, or null. */
  public static Condition find(LoadBalancerStatus status, String type) {
    if (status == null || status.conditions() == null) {
      return null;
    }
    return status.conditions().stream().filter(c -> type.equals(c.type())).findFirst().orElse(null);
  }

}
