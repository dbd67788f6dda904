package dev.gantry.proxy.config;

import dev.gantry.proxy.upstream.WeightedSequence;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * A compiled route: the conditions checked after the host and path matched (headers, query parameters,
 * methods), the weighted backends, and what is changed on the way, or the redirect it answers with. Immutable;
 * shared by every event loop.
 */
public final class RouteRuntime {

  /** A header that must be present with exactly this value. */
  public record HeaderCondition(AsciiString name, String value) {

    boolean matches(HttpHeaders headers) {
      String first = headers.get(name);
      if (first == null) {
        return false;
      }
      return first.equals(value) || headers.getAll(name).contains(value);
    }
  }

  private final String name;
  private final int order;
  private final HeaderCondition[] headers;
  private final QueryCondition[] queries;
  private final int methodMask;
  private final WeightedSequence<RouteTarget> targets;
  private final RouteRewrite rewrite;
  private final RouteRedirect redirect;
  private final HeaderEdits requestEdits;
  private final HeaderEdits responseEdits;
  private final long timeoutNanos;
  private final int retries;
  private final CorsPolicy cors;
  private final MirrorTarget[] mirrors;
  private final SessionAffinity sessions;

  /**
   * @param rewrite null when the forwarded request keeps its host and path
   * @param redirect null for a route that forwards; else the route has no targets
   */
  public RouteRuntime(String name, int order, List<HeaderCondition> headers, List<QueryCondition> queries,
      List<String> methods, WeightedSequence<RouteTarget> targets, RouteRewrite rewrite, RouteRedirect redirect,
      HeaderEdits requestEdits, HeaderEdits responseEdits, long timeoutNanos, int retries) {
    this(name, order, headers, queries, methods, targets, rewrite, redirect, requestEdits, responseEdits, timeoutNanos,
        retries, null, List.of());
  }

  /**
   * A route with a cross-origin policy ({@code cors}, or null) whose requests are also copied to {@code mirrors}.
   */
  public RouteRuntime(String name, int order, List<HeaderCondition> headers, List<QueryCondition> queries,
      List<String> methods, WeightedSequence<RouteTarget> targets, RouteRewrite rewrite, RouteRedirect redirect,
      HeaderEdits requestEdits, HeaderEdits responseEdits, long timeoutNanos, int retries, CorsPolicy cors,
      List<MirrorTarget> mirrors) {
    this(name, order, headers, queries, methods, targets, rewrite, redirect, requestEdits, responseEdits, timeoutNanos,
        retries, cors, mirrors, null);
  }

  /** A route whose clients stay on the endpoint their session token names ({@code sessions}, or null). */
  public RouteRuntime(String name, int order, List<HeaderCondition> headers, List<QueryCondition> queries,
      List<String> methods, WeightedSequence<RouteTarget> targets, RouteRewrite rewrite, RouteRedirect redirect,
      HeaderEdits requestEdits, HeaderEdits responseEdits, long timeoutNanos, int retries, CorsPolicy cors,
      List<MirrorTarget> mirrors, SessionAffinity sessions) {
    this.name = name;
    this.order = order;
    this.headers = headers.toArray(new HeaderCondition[0]);
    this.queries = queries.toArray(new QueryCondition[0]);
    int mask = 0;
    for (String m : methods) {
      mask |= methodBit(m);
    }
    this.methodMask = mask;
    this.targets = targets;
    this.rewrite = rewrite;
    this.redirect = redirect;
    this.requestEdits = requestEdits;
    this.responseEdits = responseEdits;
    this.timeoutNanos = timeoutNanos;
    this.retries = retries;
    this.cors = cors;
    this.mirrors = mirrors.toArray(new MirrorTarget[0]);
    this.sessions = sessions;
  }

  /** The route's session persistence, or null when it has none. */
  public SessionAffinity sessions() {
    return sessions;
  }

  /** The route's cross-origin policy, or null. */
  public CorsPolicy cors() {
    return cors;
  }

  public String name() {
    return name;
  }

  /** Position of the route in its document: the last tie-breaker of precedence. */
  public int order() {
    return order;
  }

  public int headerConditionCount() {
    return headers.length;
  }

  public int queryConditionCount() {
    return queries.length;
  }

  public boolean hasMethodCondition() {
    return methodMask != 0;
  }

  /** True when the request's method, headers and query (in {@code uri} after {@code pathEnd}) satisfy this route. */
  public boolean accepts(HttpMethod method, HttpHeaders requestHeaders, String uri, int pathEnd) {
    if (methodMask != 0 && (methodMask & methodBit(method.name())) == 0) {
      return false;
    }
    for (HeaderCondition h : headers) {
      if (!h.matches(requestHeaders)) {
        return false;
      }
    }
    for (QueryCondition q : queries) {
      if (!q.matches(uri, pathEnd)) {
        return false;
      }
    }
    return true;
  }

  /** The backend for the next request, by the route's weights; null when every weight is 0. */
  public RouteTarget pickTarget() {
    return targets == null ? null : targets.next();
  }

  /** Changes to the forwarded request's host and path, or null. */
  public RouteRewrite rewrite() {
    return rewrite;
  }

  /** The redirect this route answers with instead of forwarding, or null. */
  public RouteRedirect redirect() {
    return redirect;
  }

  public HeaderEdits requestEdits() {
    return requestEdits;
  }

  public HeaderEdits responseEdits() {
    return responseEdits;
  }

  /** Whole-request timeout in nanoseconds; 0 for none, -1 when the route leaves it unset. */
  public long timeoutNanos() {
    return timeoutNanos;
  }

  /**
   * Whether the route sets {@code timeout} itself (0 included): then it alone bounds its exchanges once they
   * are forwarded, and the listener's client and server inactivity timeouts do not cut them.
   */
  public boolean timeoutSet() {
    return timeoutNanos >= 0;
  }

  public int retries() {
    return retries;
  }

  /** The backends that get copies of this route's requests; an empty array (never null) for none. */
  public MirrorTarget[] mirrors() {
    return mirrors;
  }

  private static int methodBit(String method) {
    return switch (method) {
      case "GET" -> 1;
      case "HEAD" -> 1 << 1;
      case "POST" -> 1 << 2;
      case "PUT" -> 1 << 3;
      case "DELETE" -> 1 << 4;
      case "CONNECT" -> 1 << 5;
      case "OPTIONS" -> 1 << 6;
      case "TRACE" -> 1 << 7;
      case "PATCH" -> 1 << 8;
      default -> 1 << 30;
    };
  }

  @Override
  public String toString() {
    return "Route(" + name + ")";
  }
}
