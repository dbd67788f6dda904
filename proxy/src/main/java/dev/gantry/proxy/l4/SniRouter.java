package dev.gantry.proxy.l4;

import dev.gantry.proxy.config.HostTable;
import java.util.List;

/**
 * A TLS-passthrough listener's routes as lookup maps by server name, with the precedence HTTP hosts have:
 * an exact name, then the longest matching wildcard suffix ({@code *.example.com} matches
 * {@code a.example.com} and {@code a.b.example.com}, never {@code example.com}), then routes for any name;
 * among routes for the same name, the earlier one.
 */
public final class SniRouter {

  public static final SniRouter EMPTY = new Builder().build();

  private final HostTable<TlsRoute> routes;

  private SniRouter(HostTable<TlsRoute> routes) {
    this.routes = routes;
  }

  /**
   * The route for {@code serverName} (lower case, as {@link ClientHellos} returns it), or null. A
   * ClientHello without a server name matches no route: it goes to the default backend.
   */
  public TlsRoute route(String serverName) {
    return routes.lookup(serverName);
  }

  /** Collects routes in declaration order. */
  public static final class Builder {
    private final HostTable.Builder<TlsRoute> routes = new HostTable.Builder<>();

    /** Adds a route under each of its hosts; no hosts means any server name. */
    public Builder add(TlsRoute route, List<String> hosts) {
      if (hosts.isEmpty()) {
        routes.putIfAbsent(null, route);
      }
      for (String host : hosts) {
        routes.putIfAbsent(host, route);
      }
      return this;
    }

    public SniRouter build() {
      return new SniRouter(routes.build());
    }
  }
}
