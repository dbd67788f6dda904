package dev.gantry.proxy.l4;

/**
 * Where a TCP or TLS listener sends connections: by SNI through its routes (TLS only), else to its default
 * backend (null: such a connection is closed).
 */
public record PassthroughRoutes(SniRouter router, RelayTarget defaultTarget) {

  /** The target for a ClientHello with {@code serverName} (null: none sent), or null to close. */
  public Choice choose(String serverName) {
    TlsRoute route = router.route(serverName);
    if (route != null) {
      return new Choice(route.name(), route.pick());
    }
    return new Choice("", defaultTarget);
  }

  /** A choice: the matched route's name (empty for the default) and its target (null: close). */
  public record Choice(String route, RelayTarget target) {
  }
}
