package dev.gantry.proxy.upstream;

import dev.gantry.proxy.tls.BackendTlsClient;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP/2 connections to one endpoint, owned by one event loop (so no locking). An exchange becomes a
 * stream of the first connection with room; when every connection carries as many streams as it may
 * ({@link #MAX_STREAMS_PER_CONNECTION}, or fewer if the server says so), another connection is opened.
 * Filling the first connections first lets the others go idle and be closed.
 */
final class Http2EndpointPool {

  /** Streams one connection carries at most, whatever the server's SETTINGS_MAX_CONCURRENT_STREAMS allow. */
  static final int MAX_STREAMS_PER_CONNECTION = 100;

  /** Opens connections for a pool; {@link UpstreamPools} knows the event loop and the transport. */
  interface Dialer {
    Http2Connection dial(Http2EndpointPool pool, long connectTimeoutMillis);
  }

  private final InetSocketAddress address;
  private final BackendTlsClient tls;
  private final Dialer dialer;
  private final List<Http2Connection> connections = new ArrayList<>(2);
  private long lastConnectTimeoutMillis;

  Http2EndpointPool(InetSocketAddress address, BackendTlsClient tls, Dialer dialer) {
    this.address = address;
    this.tls = tls;
    this.dialer = dialer;
  }

  InetSocketAddress address() {
    return address;
  }

  BackendTlsClient tls() {
    return tls;
  }

  /**
   * Gives {@code listener} a stream for {@code attempt}, on a connection with room or a new one. {@code reused}
   * is what the exchange is told when the stream goes on a connection that already carried streams: a
   * retry's stream never claims it, so a failure of it counts.
   */
  void acquire(UpstreamListener listener, long attempt, long connectTimeoutMillis, boolean reused) {
    lastConnectTimeoutMillis = connectTimeoutMillis;
    for (int i = 0; i < connections.size(); i++) {
      Http2Connection c = connections.get(i);
      if (c.hasRoom()) {
        c.take(listener, attempt, reused);
        return;
      }
    }
    Http2Connection c = dialer.dial(this, connectTimeoutMillis);
    if (!c.closed()) {
      connections.add(c);
    }
    c.take(listener, attempt, false);
  }

  /** A waiter a new connection had no room for after all. */
  void retake(UpstreamListener listener, long attempt) {
    acquire(listener, attempt, lastConnectTimeoutMillis, false);
  }

  void remove(Http2Connection c) {
    connections.remove(c);
  }

  /** Connections open or opening. */
  int connectionCount() {
    return connections.size();
  }

  /** Closes connections that carried no stream for {@code maxIdleNanos}. */
  void closeIdleSince(long now, long maxIdleNanos) {
    for (int i = connections.size() - 1; i >= 0; i--) {
      Http2Connection c = connections.get(i);
      if (c.idleSince(now, maxIdleNanos)) {
        connections.remove(i);
        c.close();
      }
    }
  }
}
