package dev.gantry.proxy.l7;

import dev.gantry.model.PathMatch;
import dev.gantry.proxy.config.HostTable;
import dev.gantry.proxy.config.RouteRuntime;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A listener's routes as lookup tables, HAProxy-controller style: exact hosts in a map, wildcard hosts by
 * suffix, then routes for any host. The most specific host is tried first; when none of its routes matches
 * the path, the next less specific host group is tried, down to routes for any host.
 */
public final class Router {

  public static final Router EMPTY = new Builder().build();

  private final HostTable<PathTable> hosts;
  private final boolean readsHeaders;

  private Router(HostTable<PathTable> hosts, boolean readsHeaders) {
    this.hosts = hosts;
    this.readsHeaders = readsHeaders;
  }

  /** Whether a route of this listener matches on request headers: else {@link #route} never reads them. */
  public boolean readsHeaders() {
    return readsHeaders;
  }

  /**
   * The route for a request, or null.
   *
   * @param host normalised host (see {@link HostNames#normalize})
   * @param uri the request target as received; the path is the part before '?'
   */
  public RouteMatch route(String host, String uri, HttpMethod method, HttpHeaders headers) {
    int pathEnd = HostNames.pathEnd(uri);
    for (int c = hosts.first(); c != HostTable.END; c = hosts.next(host, c)) {
      PathTable table = hosts.at(host, c);
      if (table != null) {
        RouteMatch m = table.match(uri, pathEnd, method, headers);
        if (m != null) {
          return m;
        }
      }
    }
    return null;
  }

  public boolean isEmpty() {
    return hosts.isEmpty();
  }

  /** Collects routes with their hosts and paths. */
  public static final class Builder {
    private final HostTable.Builder<PathTable.Builder> hosts = new HostTable.Builder<>();
    private boolean readsHeaders;

    /** Adds a route under each of its hosts (none = any host), for each of its paths (none = any path). */
    public Builder add(RouteRuntime route, List<String> hosts, List<PathMatch> paths) {
      readsHeaders |= route.headerConditionCount() > 0;
      if (hosts.isEmpty()) {
        addPaths(this.hosts.computeIfAbsent(null, PathTable.Builder::new), route, paths);
      }
      for (String host : hosts) {
        addPaths(this.hosts.computeIfAbsent(host, PathTable.Builder::new), route, paths);
      }
      return this;
    }

    private static void addPaths(PathTable.Builder table, RouteRuntime route, List<PathMatch> paths) {
      if (paths.isEmpty()) {
        table.addAnyPath(route);
      }
      for (PathMatch p : paths) {
        switch (p.typeOrDefault()) {
          case Exact -> table.addExact(p.value(), route);
          case Prefix -> table.addPrefix(p.value(), route);
          case Regex -> table.addRegex(Pattern.compile(p.value()), route);
        }
      }
    }

    public Router build() {
      return new Router(hosts.build().map(PathTable.Builder::build), readsHeaders);
    }
  }
}
