package dev.gantry.proxy.upstream;

import dev.gantry.proxy.tls.BackendTlsClient;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * Puts TLS on a freshly connected backend channel and reports the handshake's outcome: null when it
 * succeeded, else the cause, after logging why and closing the channel. A failed handshake is a failed
 * connect to the caller, retried and counted like a refused connection.
 */
public final class BackendTls {

  private BackendTls() {
  }

  public static void handshake(Channel ch, BackendTlsClient tls, InetSocketAddress endpoint, long timeoutMillis,
      Consumer<Throwable> outcome) {
    SslHandler handler = tls.newHandler(ch.alloc(), endpoint, timeoutMillis);
    ch.pipeline().addFirst("tls", handler);
    handler.handshakeFuture().addListener(done -> {
      if (done.isSuccess()) {
        outcome.accept(null);
      } else {
        tls.handshakeFailed(endpoint, done.cause());
        ch.close();
        outcome.accept(done.cause());
      }
    });
    // Auto-read is off on backend channels: the handshake needs the server's answer read.
    ch.read();
  }
}
