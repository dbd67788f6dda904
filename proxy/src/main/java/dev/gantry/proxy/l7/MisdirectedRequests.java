package dev.gantry.proxy.l7;

import dev.gantry.proxy.tls.ServerTls;
import dev.gantry.proxy.tls.SniHosts;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * HTTP 421 Misdirected Request on HTTPS listeners split by {@code tls.sniHosts}: the name a connection's
 * ClientHello asked for is kept on the connection, and a request whose {@code Host} falls under another of the
 * listener's hosts than that name is refused (a client reusing one connection for another listener's host, as
 * HTTP/2 clients do when certificates cover both). Connections without SNI, and requests without Host, pass.
 */
final class MisdirectedRequests {

  private static final AttributeKey<String> SERVER_NAME = AttributeKey.valueOf(MisdirectedRequests.class, "sni");

  private MisdirectedRequests() {
  }

  /** Keeps the ClientHello's server name on the connection, when its listener is split by host. */
  static void recordServerName(Channel connection, ServerTls tls, String serverName) {
    if (tls != null && tls.sniHosts().splits() && serverName != null) {
      connection.attr(SERVER_NAME).set(HostNames.normalize(serverName));
    }
  }

  /**
   * Whether a request for {@code host} (normalised) on {@code channel} (a connection, or an HTTP/2 stream) was
   * meant for another of its listener's hosts than its connection's server name.
   */
  static boolean misdirected(Channel channel, ServerTls tls, String host) {
    if (tls == null || !tls.sniHosts().splits() || host.isEmpty()) {
      return false;
    }
    String serverName = channel.attr(SERVER_NAME).get();
    if (serverName == null && channel.parent() != null) {
      serverName = channel.parent().attr(SERVER_NAME).get();
    }
    SniHosts hosts = tls.sniHosts();
    return serverName != null && hosts.select(serverName) != hosts.select(host);
  }
}
