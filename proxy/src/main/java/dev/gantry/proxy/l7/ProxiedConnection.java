package dev.gantry.proxy.l7;

import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.config.ActiveConfig;
import dev.gantry.proxy.config.CompiledConfig;
import dev.gantry.proxy.config.ListenerRuntime;
import dev.gantry.proxy.upstream.UpstreamConnection;
import dev.gantry.proxy.upstream.UpstreamPools;
import io.netty.channel.ChannelHandlerContext;
import java.net.InetAddress;

/**
 * What the parts of one {@link HttpProxyHandler} share: the client connection (or HTTP/2 stream), the
 * configuration serving it, the exchange running now and where it stands, the backend connection, and the
 * parts themselves, so each can hand over to the others. Built once per connection; everything here is
 * used on the connection's one event loop.
 */
final class ProxiedConnection {

  enum State {
    /** Waiting for a request head. */
    IDLE,
    /** A request head is routed; every endpoint is at its connection limit: waiting in the backend's queue. */
    QUEUED,
    /** A request head is routed; waiting for a backend connection. */
    CONNECTING,
    /** Relaying the request body and the response. */
    FORWARDING,
    /** A WebSocket or other upgraded connection: raw bytes both ways. */
    TUNNEL,
    CLOSED
  }

  final ActiveConfig config;
  final int port;
  final UpstreamPools pools;
  final AccessLog accessLog;
  final ClientTraffic traffic;
  final InboundQueue inbound = new InboundQueue(() -> LimitHits.pipelinedRequests(currentListener()));
  final ReplayBuffer replay = new ReplayBuffer();
  final Exchange ex = new Exchange();
  /** The Forwarded element of the last request's Host, reused while Host stays the same. */
  final ForwardingHeaders.Cache forwarded = new ForwardingHeaders.Cache();

  final RequestIntake intake;
  final EndpointDispatch dispatch;
  final UpstreamSide upstreamSide;
  final LocalAnswers answers;
  final UpgradeTunnel tunnel;
  final ExchangeTimeouts timeouts;
  final RequestMirror mirror;

  ChannelHandlerContext ctx;
  String clientIp;
  ClientIdentity clientIdentity = ClientIdentity.ANONYMOUS;
  InetAddress clientAddress;
  String clientLabel;
  State state = State.IDLE;
  /** The backend connection of the current exchange, once connected. */
  UpstreamConnection upstream;
  /**
   * Whether the client's messages of one read are being handed on: the read's end flushes the backend
   * connection, so what is written meanwhile (a head, then the body that came with it) leaves together.
   */
  boolean inClientRead;

  /** The configuration {@link #cachedListener} was looked up in: a lookup per reload, not per request. */
  private CompiledConfig cachedConfig;
  private ListenerRuntime cachedListener;

  ProxiedConnection(ActiveConfig config, int port, UpstreamPools pools, AccessLog accessLog, ClientTraffic traffic) {
    this.config = config;
    this.port = port;
    this.pools = pools;
    this.accessLog = accessLog;
    this.traffic = traffic;
    this.intake = new RequestIntake(this);
    this.dispatch = new EndpointDispatch(this);
    this.upstreamSide = new UpstreamSide(this);
    this.answers = new LocalAnswers(this);
    this.tunnel = new UpgradeTunnel(this);
    this.timeouts = new ExchangeTimeouts(this);
    this.mirror = new RequestMirror(this);
  }

  /** This port's listener in the configuration served now. */
  ListenerRuntime currentListener() {
    CompiledConfig now = config.current();
    if (now != cachedConfig) {
      cachedConfig = now;
      cachedListener = now.listener(port);
    }
    return cachedListener;
  }

  /**
   * Whether a reload removed this connection's listener (or made it a non-HTTP one). A listener merely
   * reconfigured keeps its connections: their next requests are served by the new configuration.
   */
  boolean listenerGone() {
    ListenerRuntime now = currentListener();
    return now == null || !now.protocol().isHttp();
  }

  /** Metrics and the access-log line of the current exchange; each exchange is finished once. */
  void finish(String termination) {
    finish(termination, System.nanoTime());
  }

  /** As {@link #finish(String)}, the exchange ending at {@code now} ({@link System#nanoTime}). */
  void finish(String termination, long now) {
    mirror.exchangeOver();
    ex.record(accessLog, clientLabel, termination, now);
  }

  /** Closes the backend connection of the current exchange, if it has one. */
  void closeUpstream() {
    if (upstream != null) {
      upstream.close();
      upstream = null;
    }
  }
}
