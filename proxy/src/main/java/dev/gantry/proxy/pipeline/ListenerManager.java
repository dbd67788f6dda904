package dev.gantry.proxy.pipeline;

import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.config.ActiveConfig;
import dev.gantry.proxy.config.CompiledConfig;
import dev.gantry.proxy.config.ListenerRemoved;
import dev.gantry.proxy.l4.RelayOptions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the ports of a configuration and closes those a new configuration drops, without touching the
 * connections already open: a removed port stops accepting, and its connections finish their exchange.
 */
public final class ListenerManager {

  private static final Logger LOG = LoggerFactory.getLogger(ListenerManager.class);

  private record Bound(Channel serverChannel, ChannelGroup connections) {
  }

  private final EventLoopGroup group;
  private final Transport transport;
  private final String bindAddress;
  private final ActiveConfig config;
  private final Upstreams upstreams;
  private final AccessLog accessLog;
  private final WriteBufferWaterMark waterMark;
  private final ConnectionLimit connectionLimit;
  private final Map<Integer, Bound> bound = new HashMap<>();
  /** Ports that stopped accepting while their connections finish: closed for good by {@link #closeAll}. */
  private final List<Bound> retiring = new ArrayList<>();

  public ListenerManager(EventLoopGroup group, Transport transport, String bindAddress, ActiveConfig config,
      Upstreams upstreams, AccessLog accessLog, WriteBufferWaterMark waterMark, ConnectionLimit connectionLimit) {
    this.group = group;
    this.transport = transport;
    this.bindAddress = bindAddress;
    this.config = config;
    this.upstreams = upstreams;
    this.accessLog = accessLog;
    this.waterMark = waterMark;
    this.connectionLimit = connectionLimit;
  }

  /**
   * Binds every port of {@code next} not yet bound, publishes {@code next}, then stops listening on ports it
   * no longer has. When a port cannot be bound, nothing changes and the error says which port.
   */
  public synchronized void apply(CompiledConfig next) throws ListenerBindException {
    Set<Integer> wanted = next.listeners().keySet();
    Map<Integer, Bound> added = new HashMap<>();
    for (int port : wanted) {
      if (!bound.containsKey(port)) {
        try {
          added.put(port, bind(port));
        } catch (Exception e) {
          added.values().forEach(b -> b.serverChannel().close());
          throw new ListenerBindException("cannot listen on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
      }
    }
    bound.putAll(added);
    config.publish(next);
    List<Integer> removed = new ArrayList<>();
    for (int port : bound.keySet()) {
      if (!wanted.contains(port)) {
        removed.add(port);
      }
    }
    for (int port : removed) {
      retire(port, bound.remove(port));
    }
    added.keySet().forEach(port -> LOG.info("listening on {}:{} ({})", bindAddress, port,
        next.listener(port).id()));
  }

  private Bound bind(int port) throws InterruptedException {
    ChannelGroup connections = new DefaultChannelGroup("port-" + port, GlobalEventExecutor.INSTANCE);
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(transport.serverChannelClass())
        .option(ChannelOption.SO_BACKLOG, 4096)
        .option(ChannelOption.SO_REUSEADDR, true)
        .handler(connectionLimit.gate())
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
        .childHandler(new ConnectionInitializer(config, port, upstreams, accessLog, connections,
            new RelayOptions(transport.socketChannelClass(), waterMark)));
    Channel ch = b.bind(new InetSocketAddress(bindAddress, port)).sync().channel();
    connectionLimit.watch(ch);
    return new Bound(ch, connections);
  }

  /** The port actually bound for a configured port (they differ only when 0 was asked for). */
  public synchronized Set<Integer> boundPorts() {
    return Set.copyOf(bound.keySet());
  }

  /** A port stops accepting; its connections finish the exchange they are in (HTTP/2: GOAWAY) and close. */
  private void retire(int port, Bound b) {
    b.serverChannel().close();
    for (Channel c : b.connections()) {
      c.pipeline().fireUserEventTriggered(ListenerRemoved.INSTANCE);
    }
    retiring.add(b);
    retiring.removeIf(r -> r.connections().isEmpty() && !r.serverChannel().isOpen());
    LOG.info("stopped listening on port {}; {} open connection(s) finish and close", port, b.connections().size());
  }

  /** Every port stops accepting, as if the configuration dropped them all; open connections finish. */
  public synchronized void stopAccepting() {
    for (Map.Entry<Integer, Bound> e : bound.entrySet()) {
      retire(e.getKey(), e.getValue());
    }
    bound.clear();
  }

  /** Connections still open, on every port, listening or retired. */
  public synchronized int openConnections() {
    int n = 0;
    for (Bound b : bound.values()) {
      n += b.connections().size();
    }
    for (Bound b : retiring) {
      n += b.connections().size();
    }
    return n;
  }

  public synchronized void closeAll() {
    for (Bound b : bound.values()) {
      b.serverChannel().close().syncUninterruptibly();
      b.connections().close();
    }
    for (Bound b : retiring) {
      b.connections().close();
    }
    bound.clear();
    retiring.clear();
  }
}
