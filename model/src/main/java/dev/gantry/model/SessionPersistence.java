package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Session persistence (sticky sessions) for a route, as HAProxy's {@code cookie SERVERID insert} and Gateway
 * API's {@code sessionPersistence}: the first answer carries a token naming the endpoint that served it, and
 * requests that bring the token back go to that endpoint while it is present and healthy.
 * {@code type}: Cookie (the default) or Header. {@code name}: the cookie's or header's name
 * ({@value #DEFAULT_NAME} when unset). {@code absoluteTimeout}: how long a session lasts from its first answer;
 * {@code idleTimeout}: how long it lasts without a request (durations; none: no limit). {@code lifetime}, for
 * a cookie: Session (the default, no {@code Max-Age}) or Permanent ({@code Max-Age} from absoluteTimeout).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionPersistence(SessionType type, String name, String absoluteTimeout, String idleTimeout,
    SessionLifetime lifetime) {

  public static final String DEFAULT_NAME = "gantry-session";
  public static final int MAX_NAME_LENGTH = 128;

  /**
   * Whether {@code name} can name the session's cookie or header: an HTTP token of at most
   * {@value #MAX_NAME_LENGTH} characters.
   */
  public static boolean isValidName(String name) {
    return name.length() <= MAX_NAME_LENGTH && Names.isHeaderName(name);
  }

  public SessionType typeOrDefault() {
    return type == null ? SessionType.Cookie : type;
  }

  public String nameOrDefault() {
    return name == null ? DEFAULT_NAME : name;
  }

  public SessionLifetime lifetimeOrDefault() {
    return lifetime == null ? SessionLifetime.Session : lifetime;
  }
}
