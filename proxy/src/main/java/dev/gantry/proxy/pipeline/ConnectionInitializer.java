package dev.gantry.proxy.pipeline;

import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.admin.ListenerStats;
import dev.gantry.proxy.config.ActiveConfig;
import dev.gantry.proxy.config.ListenerRuntime;
import dev.gantry.proxy.l4.PassthroughPipeline;
import dev.gantry.proxy.l4.RelayOptions;
import dev.gantry.proxy.l7.HttpPipeline;
import dev.gantry.proxy.l7.HttpsPipeline;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;

/**
 * Builds the pipeline of a connection accepted on one port, for the protocol the port has in the current
 * configuration (so a reload can change it without rebinding).
 */
final class ConnectionInitializer extends ChannelInitializer<Channel> {

  private final ActiveConfig config;
  private final int port;
  private final Upstreams upstreams;
  private final AccessLog accessLog;
  private final ChannelGroup connections;
  private final RelayOptions relayOptions;

  ConnectionInitializer(ActiveConfig config, int port, Upstreams upstreams, AccessLog accessLog,
      ChannelGroup connections, RelayOptions relayOptions) {
    this.config = config;
    this.port = port;
    this.upstreams = upstreams;
    this.accessLog = accessLog;
    this.connections = connections;
    this.relayOptions = relayOptions;
  }

  @Override
  protected void initChannel(Channel ch) {
    ListenerRuntime listener = config.current().listener(port);
    if (listener == null) {
      ch.close();
      return;
    }
    ListenerStats stats = listener.stats();
    stats.connections().increment();
    stats.activeConnections().increment();
    ch.closeFuture().addListener(f -> stats.activeConnections().decrement());
    connections.add(ch);
    switch (listener.protocol()) {
      case HTTP -> HttpPipeline.addTo(ch.pipeline(), listener, config, upstreams.forLoop(ch.eventLoop()), accessLog);
      case HTTPS -> HttpsPipeline.addTo(ch.pipeline(), listener, config, upstreams.forLoop(ch.eventLoop()), accessLog);
      case TCP, TLS -> PassthroughPipeline.addTo(ch, listener, relayOptions, accessLog);
    }
  }
}
