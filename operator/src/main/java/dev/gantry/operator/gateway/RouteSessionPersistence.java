package dev.gantry.operator.gateway;

import dev.gantry.model.Durations;
import dev.gantry.model.SessionLifetime;
import dev.gantry.model.SessionPersistence;
import dev.gantry.model.SessionType;
import java.util.Map;
import java.util.Set;

/**
 * An HTTPRoute or GRPCRoute rule's {@code sessionPersistence} (Experimental channel) as the model route's
 * {@code sessionPersistence}: {@code type}, {@code sessionName}, {@code absoluteTimeout}, {@code idleTimeout}
 * and {@code cookieConfig.lifetimeType} map one to one. What the proxy cannot serve leaves the rule out with
 * the reason. Pure.
 */
final class RouteSessionPersistence {

  private static final Set<String> FIELDS = Set.of("type", "sessionName", "absoluteTimeout", "idleTimeout",
      "cookieConfig");

  private RouteSessionPersistence() {
  }

  /** Why the rule's sessionPersistence cannot be served, or null. */
  static String unsupported(Map<String, Object> sp) {
    if (sp == null) {
      return null;
    }
    for (String key : sp.keySet()) {
      if (!FIELDS.contains(key)) {
        return "sessionPersistence." + key + " is not supported";
      }
    }
    Object type = sp.get("type");
    if (type != null && !type.equals("Cookie") && !type.equals("Header")) {
      return "sessionPersistence.type " + type + " is not supported: expected Cookie or Header";
    }
    Object name = sp.get("sessionName");
    if (name != null && (!(name instanceof String s) || !SessionPersistence.isValidName(s))) {
      return "sessionPersistence.sessionName \"" + name + "\" is not a cookie or header name";
    }
    for (String key : new String[] {"absoluteTimeout", "idleTimeout"}) {
      Object v = sp.get(key);
      if (v != null && (!Durations.isValid(String.valueOf(v)) || Durations.parse(String.valueOf(v)).isZero())) {
        return "sessionPersistence." + key + " \"" + v + "\" is not a duration above 0 such as 30m or 1h";
      }
    }
    Object lifetime = lifetime(sp);
    if (sp.get("cookieConfig") != null && !(sp.get("cookieConfig") instanceof Map<?, ?>)) {
      return "sessionPersistence.cookieConfig is not an object";
    }
    if (lifetime != null && !lifetime.equals("Permanent") && !lifetime.equals("Session")) {
      return "sessionPersistence.cookieConfig.lifetimeType " + lifetime + " is not supported: expected Permanent or "
          + "Session";
    }
    if (lifetime != null && "Header".equals(type)) {
      return "sessionPersistence.cookieConfig can only be set with type Cookie";
    }
    if ("Permanent".equals(lifetime) && sp.get("absoluteTimeout") == null) {
      return "sessionPersistence.absoluteTimeout must be set when cookieConfig.lifetimeType is Permanent";
    }
    return null;
  }

  /** The model's session persistence of a rule whose {@link #unsupported} is null; null when it has none. */
  static SessionPersistence of(Map<String, Object> sp) {
    if (sp == null) {
      return null;
    }
    Object type = sp.get("type");
    Object lifetime = lifetime(sp);
    return new SessionPersistence(type == null ? null : SessionType.valueOf(type.toString()),
        (String) sp.get("sessionName"), string(sp.get("absoluteTimeout")), string(sp.get("idleTimeout")),
        lifetime == null ? null : SessionLifetime.valueOf(lifetime.toString()));
  }

  private static Object lifetime(Map<String, Object> sp) {
    return sp.get("cookieConfig") instanceof Map<?, ?> c ? c.get("lifetimeType") : null;
  }

  private static String string(Object v) {
    return v == null ? null : v.toString();
  }
}
