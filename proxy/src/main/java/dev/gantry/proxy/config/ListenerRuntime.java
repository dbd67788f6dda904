package dev.gantry.proxy.config;

import dev.gantry.model.Protocol;
import dev.gantry.proxy.admin.ListenerStats;
import dev.gantry.proxy.l7.Router;

/**
 * A compiled listener: everything a connection accepted on its port needs, resolved once per configuration.
 *
 * @param redirectPort for an HTTP listener with {@code redirectToHttps}, the port of that HTTPS listener;
 *     otherwise -1
 * @param defaultTarget where requests no route matches go; null answers 404
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
    ListenerStats stats) {

  /** {@code lb/listener}, as logs name it. */
  public String id() {
    return lbId + "/" + name;
  }

  public String scheme() {
    return protocol == Protocol.HTTPS ? "https" : "http";
  }
}
