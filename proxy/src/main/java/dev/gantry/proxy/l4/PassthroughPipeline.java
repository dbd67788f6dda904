package dev.gantry.proxy.l4;

import dev.gantry.model.Protocol;
import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.config.ListenerRuntime;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

/** The handlers of a TCP or TLS-passthrough client connection. */
public final class PassthroughPipeline {

  private PassthroughPipeline() {
  }

  public static void addTo(Channel ch, ListenerRuntime listener, RelayOptions options, AccessLog accessLog) {
    // A client's FIN is passed on as a FIN, not taken for a close: the other direction keeps flowing.
    ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    TcpProxyHandler relay = new TcpProxyHandler(listener, options, accessLog);
    if (listener.protocol() == Protocol.TLS) {
      ch.pipeline().addLast("sni-peek", new SniPeekHandler(listener.passthrough(), relay));
    }
    ch.pipeline().addLast("relay", relay);
  }
}
