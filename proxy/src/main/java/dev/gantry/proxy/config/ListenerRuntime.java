package dev.gantry.proxy.config;

import dev.gantry.model.Protocol;
import dev.gantry.proxy.admin.ListenerStats;
import dev.gantry.proxy.l4.PassthroughRoutes;
import dev.gantry.proxy.l7.Router;
import dev.gantry.proxy.tls.ServerTls;

/**
 * A compiled listener: everything a connection accepted on its port needs, resolved once per configuration.
 *
 * @param router HTTP and HTTPS listeners: routes by host and path
 * @param redirectPort for an HTTP listener with {@code redirectToHttps}, the port of that HTTPS listener;
 *     otherwise -1
 * @param defaultTarget HTTP and HTTPS listeners: where requests no route matches go; null answers 404
 * @param tls HTTPS listeners, and TLS listeners that terminate: certificates by SNI and TLS settings; null
 *     otherwise
 * @param passthrough TCP and TLS listeners: where connections go; null otherwise
 */
public record ListenerRuntime(
    String lbId,
    String name,
    int port,
    Protocol protocol,
    Router router,
    RouteTarget defaultTarget,
    ListenerTimeouts timeouts,
    int redirectPort,
    ListenerStats stats,
    ServerTls tls,
    PassthroughRoutes passthrough) {

  /** An HTTP listener. */
  public ListenerRuntime(String lbId, String name, int port, Protocol protocol, Router router,
      RouteTarget defaultTarget, ListenerTimeouts timeouts, int redirectPort, ListenerStats stats) {
    this(lbId, name, port, protocol, router, defaultTarget, timeouts, redirectPort, stats, null, null);
  }

  /** {@code lb/listener}, as logs name it. */
  public String id() {
    return lbId + "/" + name;
  }

  public String scheme() {
    return protocol == Protocol.HTTPS ? "https" : "http";
  }
}
