package dev.gantry.proxy.config;

import dev.gantry.model.Durations;
import dev.gantry.model.PathMatch;
import dev.gantry.model.PathType;
import dev.gantry.model.Route;
import dev.gantry.model.SessionLifetime;
import dev.gantry.model.SessionPersistence;
import dev.gantry.model.SessionType;
import io.netty.util.AsciiString;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A sticky route's session persistence, compiled: the token key of every endpoint of the route's backends, both
 * ways (key to endpoint for requests, endpoint to key for answers), and how tokens travel and expire. Built when
 * the route table is compiled; immutable and shared by every event loop.
 */
public final class SessionAffinity {

  /** One endpoint as a session token names it, with the route's target that holds it. */
  public record Pin(String key, RouteTarget target, EndpointRuntime endpoint) {
  }

  /** What a cookie's Path may hold: no ';', space, control characters or quotes. */
  private static final Pattern COOKIE_PATH = Pattern.compile("/[A-Za-z0-9/._~%!$&'()*+,=:@-]*");

  private final boolean cookie;
  private final String name;
  private final AsciiString headerName;
  private final long absoluteSeconds;
  private final long idleSeconds;
  private final boolean permanent;
  private final String cookieAttributes;
  private final Map<String, Pin> byKey = new HashMap<>();
  private final Map<EndpointRuntime, Pin> byEndpoint = new IdentityHashMap<>();

  private SessionAffinity(SessionPersistence s, String cookiePath) {
    this.cookie = s.typeOrDefault() == SessionType.Cookie;
    this.name = s.nameOrDefault();
    this.headerName = AsciiString.cached(name);
    this.absoluteSeconds = s.absoluteTimeout() == null ? 0 : seconds(s.absoluteTimeout());
    this.idleSeconds = s.idleTimeout() == null ? 0 : seconds(s.idleTimeout());
    this.permanent = s.lifetimeOrDefault() == SessionLifetime.Permanent;
    this.cookieAttributes = "; Path=" + cookiePath + "; HttpOnly";
  }

  /** The persistence of route {@code r} over {@code targets} (its backends of weight above 0), or null for none. */
  public static SessionAffinity of(Route r, String lbId, List<RouteTarget> targets) {
    SessionPersistence s = r.sessionPersistence();
    if (s == null) {
      return null;
    }
    SessionAffinity a = new SessionAffinity(s, cookiePath(r));
    for (RouteTarget t : targets) {
      for (EndpointRuntime e : t.backend().endpoints()) {
        Pin pin = new Pin(SessionTokens.key(lbId, t.backend().name(), e.label()), t, e);
        // 64-bit keys of a route's few endpoints do not collide in practice; if they did, the first keeps it
        if (a.byKey.putIfAbsent(pin.key(), pin) == null) {
          a.byEndpoint.put(e, pin);
        }
      }
    }
    return a;
  }

  /**
   * The cookie's {@code Path}: the route's path, without a trailing {@code /}, when it has a single Prefix one
   * (so the cookie is not sent to other routes of the host), else {@code /}.
   */
  static String cookiePath(Route r) {
    List<PathMatch> paths = r.pathsOrEmpty();
    if (paths.size() != 1 || paths.get(0).typeOrDefault() != PathType.Prefix || paths.get(0).value() == null
        || !COOKIE_PATH.matcher(paths.get(0).value()).matches()) {
      return "/";
    }
    String prefix = paths.get(0).value();
    return prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
  }

  private static long seconds(String duration) {
    return Math.max(1, Durations.parse(duration).toSeconds());
  }

  /** The endpoint a token's key names, or null when no endpoint of this route has that key. */
  public Pin pin(String key) {
    return byKey.get(key);
  }

  /** How tokens name {@code e}, or null when it is no endpoint of this route's backends. */
  public Pin pinOf(EndpointRuntime e) {
    return byEndpoint.get(e);
  }

  /** Whether the token travels in a cookie (else in a header). */
  public boolean cookie() {
    return cookie;
  }

  /** The cookie's name as the client sends it. */
  public String name() {
    return name;
  }

  /** The header's name, for a Header session. */
  public AsciiString headerName() {
    return headerName;
  }

  /** How long a session lasts from its first answer, in seconds; 0 for no limit. */
  public long absoluteSeconds() {
    return absoluteSeconds;
  }

  /** How long a session lasts without a request, in seconds; 0 for no limit. */
  public long idleSeconds() {
    return idleSeconds;
  }

  /** Whether the cookie outlives the browser session, with a {@code Max-Age}. */
  public boolean permanent() {
    return permanent;
  }

  /** What follows {@code name=token} in {@code Set-Cookie}, apart from {@code Max-Age}. */
  public String cookieAttributes() {
    return cookieAttributes;
  }
}
