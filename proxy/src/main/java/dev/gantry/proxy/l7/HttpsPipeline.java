package dev.gantry.proxy.l7;

import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.config.ActiveConfig;
import dev.gantry.proxy.config.ListenerRuntime;
import dev.gantry.proxy.tls.HandshakeRecorder;
import dev.gantry.proxy.tls.TlsSettings;
import dev.gantry.proxy.upstream.UpstreamPools;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SniHandler;
import java.util.concurrent.TimeUnit;

/**
 * The handlers of an HTTPS client connection before its protocol is known: the certificate chosen by SNI,
 * the handshake counted, then ALPN decides between HTTP/2 and HTTP/1.1.
 */
public final class HttpsPipeline {

  private HttpsPipeline() {
  }

  public static void addTo(ChannelPipeline p, ListenerRuntime listener, ActiveConfig config, UpstreamPools pools,
      AccessLog accessLog) {
    // The ClientHello and then the whole handshake must each complete within the request-head timeout.
    long handshakeMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(listener.timeouts().httpRequestNanos()));
    p.addLast("sni", new SniHandler(listener.tls().certificates(), TlsSettings.MAX_CLIENT_HELLO, handshakeMillis));
    p.addLast("tls-stats", new HandshakeRecorder(listener.tls().stats()));
    p.addLast("alpn", new ProtocolSwitch(listener, config, pools, accessLog));
  }
}
