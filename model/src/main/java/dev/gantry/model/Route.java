package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * HAProxy's {@code acl} + {@code use_backend}: which requests (by host, path, headers, query parameters,
 * method) go to which backends, and what is changed on the way; or, with {@code redirect}, the redirect the
 * proxy answers them with itself. {@code cors}: the cross-origin requests the route allows; {@code mirrors}:
 * backends that get a copy of a share of its requests; {@code sessionPersistence}: clients that brought back
 * the token of an earlier answer stay on the endpoint that gave it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Route(
    String name,
    List<String> listeners,
    List<String> hosts,
    List<PathMatch> paths,
    List<HeaderMatch> headers,
    List<QueryParamMatch> queryParams,
    List<String> methods,
    List<RouteBackend> backends,
    Rewrite rewrite,
    Redirect redirect,
    HeaderModifier requestHeaders,
    HeaderModifier responseHeaders,
    String timeout,
    Integer retries,
    Cors cors,
    List<RouteMirror> mirrors,
    SessionPersistence sessionPersistence) {

  /** A route without session persistence. */
  public Route(String name, List<String> listeners, List<String> hosts, List<PathMatch> paths,
      List<HeaderMatch> headers, List<QueryParamMatch> queryParams, List<String> methods, List<RouteBackend> backends,
      Rewrite rewrite, Redirect redirect, HeaderModifier requestHeaders, HeaderModifier responseHeaders,
      String timeout, Integer retries, Cors cors, List<RouteMirror> mirrors) {
    this(name, listeners, hosts, paths, headers, queryParams, methods, backends, rewrite, redirect, requestHeaders,
        responseHeaders, timeout, retries, cors, mirrors, null);
  }

  /** A route without {@code cors} and without mirrors. */
  public Route(String name, List<String> listeners, List<String> hosts, List<PathMatch> paths,
      List<HeaderMatch> headers, List<QueryParamMatch> queryParams, List<String> methods, List<RouteBackend> backends,
      Rewrite rewrite, Redirect redirect, HeaderModifier requestHeaders, HeaderModifier responseHeaders,
      String timeout, Integer retries) {
    this(name, listeners, hosts, paths, headers, queryParams, methods, backends, rewrite, redirect, requestHeaders,
        responseHeaders, timeout, retries, null, null);
  }

  /** A route without mirrors. */
  public Route(String name, List<String> listeners, List<String> hosts, List<PathMatch> paths,
      List<HeaderMatch> headers, List<QueryParamMatch> queryParams, List<String> methods, List<RouteBackend> backends,
      Rewrite rewrite, Redirect redirect, HeaderModifier requestHeaders, HeaderModifier responseHeaders,
      String timeout, Integer retries, Cors cors) {
    this(name, listeners, hosts, paths, headers, queryParams, methods, backends, rewrite, redirect, requestHeaders,
        responseHeaders, timeout, retries, cors, null);
  }

  /** A route without {@code cors}. */
  public Route(String name, List<String> listeners, List<String> hosts, List<PathMatch> paths,
      List<HeaderMatch> headers, List<QueryParamMatch> queryParams, List<String> methods, List<RouteBackend> backends,
      Rewrite rewrite, Redirect redirect, HeaderModifier requestHeaders, HeaderModifier responseHeaders,
      String timeout, Integer retries, List<RouteMirror> mirrors) {
    this(name, listeners, hosts, paths, headers, queryParams, methods, backends, rewrite, redirect, requestHeaders,
        responseHeaders, timeout, retries, null, mirrors);
  }

  /** A route that forwards, matching without query parameters. */
  public Route(String name, List<String> listeners, List<String> hosts, List<PathMatch> paths,
      List<HeaderMatch> headers, List<String> methods, List<RouteBackend> backends, Rewrite rewrite,
      HeaderModifier requestHeaders, HeaderModifier responseHeaders, String timeout, Integer retries) {
    this(name, listeners, hosts, paths, headers, null, methods, backends, rewrite, null, requestHeaders,
        responseHeaders, timeout, retries);
  }

  public List<String> listenersOrEmpty() {
    return listeners == null ? List.of() : listeners;
  }

  public List<String> hostsOrEmpty() {
    return hosts == null ? List.of() : hosts;
  }

  public List<PathMatch> pathsOrEmpty() {
    return paths == null ? List.of() : paths;
  }

  public List<HeaderMatch> headersOrEmpty() {
    return headers == null ? List.of() : headers;
  }

  public List<QueryParamMatch> queryParamsOrEmpty() {
    return queryParams == null ? List.of() : queryParams;
  }

  public List<String> methodsOrEmpty() {
    return methods == null ? List.of() : methods;
  }

  public List<RouteBackend> backendsOrEmpty() {
    return backends == null ? List.of() : backends;
  }

  public List<RouteMirror> mirrorsOrEmpty() {
    return mirrors == null ? List.of() : mirrors;
  }

  /** True when the route matches on more than hosts, so it can only serve HTTP listeners. */
  public boolean needsHttp() {
    return !pathsOrEmpty().isEmpty() || !headersOrEmpty().isEmpty() || !queryParamsOrEmpty().isEmpty()
        || !methodsOrEmpty().isEmpty() || rewrite != null || redirect != null || requestHeaders != null
        || responseHeaders != null || timeout != null || cors != null || mirrors != null
        || sessionPersistence != null;
  }
}
