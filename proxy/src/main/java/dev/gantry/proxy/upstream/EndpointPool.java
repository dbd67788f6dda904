package dev.gantry.proxy.upstream;

import dev.gantry.proxy.tls.BackendTlsClient;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Idle keep-alive connections to one endpoint, owned by one event loop (so no locking). The most recently
 * used connection is handed out first, which lets the least used ones age out.
 */
final class EndpointPool {

  private final InetSocketAddress address;
  private final int maxIdle;
  private final BackendTlsClient tls;
  private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();

  EndpointPool(InetSocketAddress address, int maxIdle, BackendTlsClient tls) {
    this.address = address;
    this.maxIdle = maxIdle;
    this.tls = tls;
  }

  /** The TLS client new connections of this pool handshake with, or null for clear text. */
  BackendTlsClient tls() {
    return tls;
  }

  InetSocketAddress address() {
    return address;
  }

  UpstreamConnection poll() {
    UpstreamConnection c;
    while ((c = idle.pollFirst()) != null) {
      if (c.isActive()) {
        return c;
      }
    }
    return null;
  }

  void offer(UpstreamConnection c) {
    if (idle.size() >= maxIdle) {
      c.close();
      return;
    }
    c.markIdle(System.nanoTime());
    idle.addFirst(c);
    // An outstanding read notices the server closing the idle connection.
    c.read();
  }

  void remove(UpstreamConnection c) {
    idle.remove(c);
  }

  int idleCount() {
    return idle.size();
  }

  /** Closes connections idle for longer than {@code maxIdleNanos}; the oldest are at the tail. */
  void closeIdleSince(long now, long maxIdleNanos) {
    Iterator<UpstreamConnection> it = idle.descendingIterator();
    while (it.hasNext()) {
      UpstreamConnection c = it.next();
      if (now - c.idleSinceNanos() < maxIdleNanos) {
        break;
      }
      it.remove();
      c.close();
    }
  }
}
