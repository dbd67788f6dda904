package dev.gantry.proxy.upstream;

import dev.gantry.proxy.tls.BackendTlsClient;
import io.netty.channel.Channel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import javax.net.ssl.SSLHandshakeException;

/**
 * Puts TLS on a freshly connected backend channel and reports the handshake's outcome: null when it
 * succeeded, else the cause, after logging why and closing the channel. A failed handshake is a failed
 * connect to the caller, retried and counted like a refused connection. A backend of protocol H2 must choose
 * {@code h2} with ALPN, or the handshake counts as failed.
 */
public final class BackendTls {

  private BackendTls() {
  }

  public static void handshake(Channel ch, BackendTlsClient tls, InetSocketAddress endpoint, long timeoutMillis,
      Consumer<Throwable> outcome) {
    SslHandler handler = tls.newHandler(ch.alloc(), endpoint, timeoutMillis);
    ch.pipeline().addFirst("tls", handler);
    handler.handshakeFuture().addListener(done -> {
      Throwable failure = done.cause();
      if (failure == null && tls.h2() && !ApplicationProtocolNames.HTTP_2.equals(handler.applicationProtocol())) {
        failure = new SSLHandshakeException("the backend did not choose HTTP/2 (ALPN h2), which protocol H2 needs");
      }
      if (failure == null) {
        outcome.accept(null);
      } else {
        tls.handshakeFailed(endpoint, failure);
        ch.close();
        outcome.accept(failure);
      }
    });
    // Auto-read is off on backend channels: the handshake needs the server's answer read.
    ch.read();
  }
}
