package dev.gantry.proxy.l4;

import dev.gantry.model.Protocol;
import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.config.ListenerRuntime;
import dev.gantry.proxy.tls.HandshakeRecorder;
import dev.gantry.proxy.tls.TlsSettings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SniHandler;
import java.util.concurrent.TimeUnit;

/**
 * The handlers of a TCP or TLS client connection: TLS is routed by the ClientHello's SNI, then relayed as it is
 * (passthrough) or, when the listener has certificates, decrypted first (termination).
 */
public final class PassthroughPipeline {

  private PassthroughPipeline() {
  }

  public static void addTo(Channel ch, ListenerRuntime listener, RelayOptions options, AccessLog accessLog) {
    // A client's FIN is passed on as a FIN, not taken for a close: the other direction keeps flowing.
    ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    ch.config().setRecvByteBufAllocator(RelayOptions.READS);
    TcpProxyHandler relay = new TcpProxyHandler(listener, options, accessLog);
    if (listener.protocol() == Protocol.TLS) {
      ch.pipeline().addLast("sni-peek", new SniPeekHandler(listener.passthrough(), relay));
    }
    if (listener.tls() != null) {
      // Terminated: the peek chose the route by the SNI; then the handshake, with the certificate for that name,
      // must complete within the client timeout the relay keeps until its first byte.
      long handshakeMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(listener.timeouts().clientNanos()));
      ch.pipeline().addLast("sni", new SniHandler(listener.tls().certificates(), TlsSettings.MAX_CLIENT_HELLO,
          handshakeMillis));
      ch.pipeline().addLast("tls-stats", new HandshakeRecorder(listener.tls().stats()));
    }
    ch.pipeline().addLast("relay", relay);
  }
}
