package dev.gantry.proxy.l7;

import dev.gantry.model.PathMatch;
import dev.gantry.proxy.config.RouteRuntime;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A listener's routes as lookup tables, HAProxy-controller style: exact hosts in a map, wildcard hosts by
 * suffix, then routes for any host. The most specific host is tried first; when none of its routes matches
 * the path, the next less specific host group is tried, down to routes for any host.
 */
public final class Router {

  public static final Router EMPTY = new Builder().build();

  private final Map<String, PathTable> exactHosts;
  private final Map<String, PathTable> wildcardHosts;
  private final PathTable anyHost;

  private Router(Map<String, PathTable> exactHosts, Map<String, PathTable> wildcardHosts, PathTable anyHost) {
    this.exactHosts = exactHosts;
    this.wildcardHosts = wildcardHosts;
    this.anyHost = anyHost;
  }

  /**
   * The route for a request, or null.
   *
   * @param host normalised host (see {@link HostNames#normalize})
   * @param uri the request target as received; the path is the part before '?'
   */
  public RouteMatch route(String host, String uri, HttpMethod method, HttpHeaders headers) {
    int pathEnd = HostNames.pathEnd(uri);
    PathTable exact = exactHosts.get(host);
    if (exact != null) {
      RouteMatch m = exact.match(uri, pathEnd, method, headers);
      if (m != null) {
        return m;
      }
    }
    if (!wildcardHosts.isEmpty()) {
      // Longest suffix first: for a.b.example.com try .b.example.com, then .example.com, then .com.
      for (int dot = host.indexOf('.'); dot > 0; dot = host.indexOf('.', dot + 1)) {
        PathTable t = wildcardHosts.get(host.substring(dot));
        if (t != null) {
          RouteMatch m = t.match(uri, pathEnd, method, headers);
          if (m != null) {
            return m;
          }
        }
      }
    }
    return anyHost == null ? null : anyHost.match(uri, pathEnd, method, headers);
  }

  public boolean isEmpty() {
    return exactHosts.isEmpty() && wildcardHosts.isEmpty() && anyHost == null;
  }

  /** Collects routes with their hosts and paths. */
  public static final class Builder {
    private final Map<String, PathTable.Builder> exact = new LinkedHashMap<>();
    private final Map<String, PathTable.Builder> wildcard = new LinkedHashMap<>();
    private PathTable.Builder any;

    /** Adds a route under each of its hosts (none = any host), for each of its paths (none = any path). */
    public Builder add(RouteRuntime route, List<String> hosts, List<PathMatch> paths) {
      if (hosts.isEmpty()) {
        addPaths(anyTable(), route, paths);
      }
      for (String h : hosts) {
        String host = h.toLowerCase(Locale.ROOT);
        if (host.startsWith("*.")) {
          addPaths(wildcard.computeIfAbsent(host.substring(1), k -> new PathTable.Builder()), route, paths);
        } else {
          addPaths(exact.computeIfAbsent(host, k -> new PathTable.Builder()), route, paths);
        }
      }
      return this;
    }

    private PathTable.Builder anyTable() {
      if (any == null) {
        any = new PathTable.Builder();
      }
      return any;
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
      return new Router(freeze(exact), freeze(wildcard), any == null ? null : any.build());
    }

    private static Map<String, PathTable> freeze(Map<String, PathTable.Builder> builders) {
      Map<String, PathTable> out = new HashMap<>();
      builders.forEach((k, v) -> out.put(k, v.build()));
      return Map.copyOf(out);
    }
  }
}
