package dev.gantry.proxy.l4;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A TLS-passthrough listener's routes as lookup maps by server name, with the precedence HTTP hosts have:
 * an exact name, then the longest matching wildcard suffix ({@code *.example.com} matches
 * {@code a.example.com} and {@code a.b.example.com}, never {@code example.com}), then routes for any name;
 * among routes for the same name, the earlier one.
 */
public final class SniRouter {

  public static final SniRouter EMPTY = new Builder().build();

  private final Map<String, TlsRoute> exact;
  private final Map<String, TlsRoute> wildcard;
  private final TlsRoute any;

  private SniRouter(Map<String, TlsRoute> exact, Map<String, TlsRoute> wildcard, TlsRoute any) {
    this.exact = exact;
    this.wildcard = wildcard;
    this.any = any;
  }

  /**
   * The route for {@code serverName} (lower case, as {@link ClientHellos} returns it), or null. A
   * ClientHello without a server name matches no route: it goes to the default backend.
   */
  public TlsRoute route(String serverName) {
    if (serverName == null) {
      return null;
    }
    TlsRoute r = exact.get(serverName);
    if (r != null) {
      return r;
    }
    if (!wildcard.isEmpty()) {
      for (int dot = serverName.indexOf('.'); dot > 0; dot = serverName.indexOf('.', dot + 1)) {
        r = wildcard.get(serverName.substring(dot));
        if (r != null) {
          return r;
        }
      }
    }
    return any;
  }

  /** Collects routes in declaration order. */
  public static final class Builder {
    private final Map<String, TlsRoute> exact = new HashMap<>();
    private final Map<String, TlsRoute> wildcard = new HashMap<>();
    private TlsRoute any;

    /** Adds a route under each of its hosts; no hosts means any server name. */
    public Builder add(TlsRoute route, List<String> hosts) {
      if (hosts.isEmpty() && any == null) {
        any = route;
      }
      for (String h : hosts) {
        String host = h.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
          host = host.substring(0, host.length() - 1);
        }
        if (host.startsWith("*.")) {
          wildcard.putIfAbsent(host.substring(1), route);
        } else {
          exact.putIfAbsent(host, route);
        }
      }
      return this;
    }

    public SniRouter build() {
      return new SniRouter(Map.copyOf(exact), Map.copyOf(wildcard), any);
    }
  }
}
