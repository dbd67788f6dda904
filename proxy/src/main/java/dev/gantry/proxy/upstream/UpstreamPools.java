package dev.gantry.proxy.upstream;

import dev.gantry.proxy.config.EndpointRuntime;
import dev.gantry.proxy.http1.BackendCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpDecoderConfig;
import java.net.InetSocketAddress;
import dev.gantry.proxy.tls.BackendTlsClient;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The keep-alive connection pools of one event loop. Connections are opened on the loop of the client
 * connection that needs them, so a request is proxied on one thread from end to end.
 */
public final class UpstreamPools {

  /** Idle connections kept per endpoint and event loop. */
  static final int MAX_IDLE_PER_ENDPOINT = 512;
  /** Idle pooled connections older than this are closed, before backends typically time them out. */
  static final long IDLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
  static final int MAX_RESPONSE_HEAD_LINE = 16 * 1024;
  static final int MAX_RESPONSE_HEADERS = 64 * 1024;

  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final Map<InetSocketAddress, EndpointPool> pools = new HashMap<>();
  /** Pools of TLS connections, per backend TLS client: a clear-text connection never serves a TLS backend. */
  private final Map<BackendTlsClient, Map<InetSocketAddress, EndpointPool>> tlsPools = new IdentityHashMap<>();
  /** HTTP/2 connections, per backend TLS client (null key: h2c): streams of them serve H2C and H2 backends. */
  private final Map<BackendTlsClient, Map<InetSocketAddress, Http2EndpointPool>> http2Pools = new HashMap<>();
  private final Bootstrap http2Bootstrap;

  public UpstreamPools(EventLoop loop, Class<? extends Channel> channelClass, WriteBufferWaterMark waterMark) {
    this.loop = loop;
    this.bootstrap = new Bootstrap()
        .group(loop)
        .channel(channelClass)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new BackendCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_RESPONSE_HEAD_LINE)
                .setMaxHeaderSize(MAX_RESPONSE_HEADERS)
                .setMaxChunkSize(64 * 1024)
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true), MAX_RESPONSE_HEAD_LINE, MAX_RESPONSE_HEADERS));
            ch.pipeline().addLast(new UpstreamConnection());
          }
        });
    // HTTP/2 connections read all the time (SETTINGS, PING, GOAWAY); each stream has its own backpressure.
    this.http2Bootstrap = new Bootstrap()
        .group(loop)
        .channel(channelClass)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
          }
        });
    loop.scheduleWithFixedDelay(this::closeIdle, 5, 5, TimeUnit.SECONDS);
  }

  /**
   * Hands {@code listener} a connection to {@code endpoint}: an idle pooled one at once, else a new one when
   * it is connected. Must be called on this pool's event loop. The outcome is reported with {@code attempt},
   * possibly before this method returns (a pooled connection, or a loopback connect that completes at once).
   *
   * @return the channel being connected, or null when a pooled connection was handed over
   */
  public Channel acquire(EndpointRuntime endpoint, long connectTimeoutMillis, UpstreamListener listener,
      long attempt) {
    if (endpoint.http2()) {
      http2Pool(endpoint).acquire(listener, attempt, connectTimeoutMillis, true);
      return null;
    }
    EndpointPool pool = pool(endpoint);
    UpstreamConnection idle = pool.poll();
    if (idle != null) {
      idle.attach(listener);
      listener.upstreamConnected(idle, true, attempt);
      return null;
    }
    return connect(pool, connectTimeoutMillis, listener, attempt);
  }

  /**
   * Always opens a new connection, for a retry after a pooled connection turned out to be stale. To an HTTP/2
   * backend, a new stream (on a new connection only when the others are full), never reported as reused.
   */
  public Channel connectFresh(EndpointRuntime endpoint, long connectTimeoutMillis, UpstreamListener listener,
      long attempt) {
    if (endpoint.http2()) {
      http2Pool(endpoint).acquire(listener, attempt, connectTimeoutMillis, false);
      return null;
    }
    return connect(pool(endpoint), connectTimeoutMillis, listener, attempt);
  }

  private Http2EndpointPool http2Pool(EndpointRuntime endpoint) {
    BackendTlsClient tls = endpoint.tls();
    Map<InetSocketAddress, Http2EndpointPool> byAddress = http2Pools.get(tls);
    if (byAddress == null) {
      byAddress = new HashMap<>();
      http2Pools.put(tls, byAddress);
    }
    Http2EndpointPool pool = byAddress.get(endpoint.address());
    if (pool == null) {
      pool = new Http2EndpointPool(endpoint.address(), tls, this::dialHttp2);
      byAddress.put(endpoint.address(), pool);
    }
    return pool;
  }

  /** Opens an HTTP/2 connection: TCP, TLS with ALPN h2 for H2, then the server's SETTINGS, within the timeout. */
  private Http2Connection dialHttp2(Http2EndpointPool pool, long connectTimeoutMillis) {
    http2Bootstrap.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
        (int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis));
    ChannelFuture f = http2Bootstrap.connect(pool.address());
    Http2Connection c = new Http2Connection(pool, f.channel());
    var timeout = loop.schedule(() -> c.failed(new ConnectTimeoutException(
        "no HTTP/2 SETTINGS from " + pool.address() + " within " + connectTimeoutMillis + " ms")),
        connectTimeoutMillis, TimeUnit.MILLISECONDS);
    f.channel().closeFuture().addListener(closed -> timeout.cancel(false));
    c.settled().addListener(settled -> timeout.cancel(false));
    f.addListener(done -> {
      if (!done.isSuccess()) {
        c.failed(done.cause());
      } else if (pool.tls() == null) {
        c.start();
      } else {
        BackendTls.handshake(f.channel(), pool.tls(), pool.address(), connectTimeoutMillis, handshake -> {
          if (handshake == null) {
            c.start();
          } else {
            c.failed(handshake);
          }
        });
      }
    });
    return c;
  }

  private EndpointPool pool(EndpointRuntime endpoint) {
    BackendTlsClient tls = endpoint.tls();
    Map<InetSocketAddress, EndpointPool> byAddress = tls == null ? pools
        : tlsPools.computeIfAbsent(tls, t -> new HashMap<>());
    // get, then put: a lambda capturing tls would be allocated on every request.
    EndpointPool pool = byAddress.get(endpoint.address());
    if (pool == null) {
      pool = new EndpointPool(endpoint.address(), MAX_IDLE_PER_ENDPOINT, tls);
      byAddress.put(endpoint.address(), pool);
    }
    return pool;
  }

  private Channel connect(EndpointPool pool, long connectTimeoutMillis, UpstreamListener listener, long attempt) {
    bootstrap.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis));
    ChannelFuture f = bootstrap.connect(pool.address());
    f.addListener(done -> {
      if (!done.isSuccess()) {
        listener.upstreamConnectFailed(attempt, done.cause());
      } else if (pool.tls() == null) {
        connected(f.channel(), pool, listener, attempt);
      } else {
        BackendTls.handshake(f.channel(), pool.tls(), pool.address(), connectTimeoutMillis, handshake -> {
          if (handshake == null) {
            connected(f.channel(), pool, listener, attempt);
          } else {
            listener.upstreamConnectFailed(attempt, handshake);
          }
        });
      }
    });
    return f.channel();
  }

  private static void connected(Channel ch, EndpointPool pool, UpstreamListener listener, long attempt) {
    UpstreamConnection c = ch.pipeline().get(UpstreamConnection.class);
    c.bind(pool);
    c.attach(listener);
    listener.upstreamConnected(c, false, attempt);
  }

  /** Idle connections to {@code address} on this loop (for tests and the admin page). */
  public int idleCount(InetSocketAddress address) {
    int idle = 0;
    EndpointPool p = pools.get(address);
    idle += p == null ? 0 : p.idleCount();
    for (Map<InetSocketAddress, EndpointPool> byAddress : tlsPools.values()) {
      p = byAddress.get(address);
      idle += p == null ? 0 : p.idleCount();
    }
    return idle;
  }

  public EventLoop loop() {
    return loop;
  }

  private void closeIdle() {
    long now = System.nanoTime();
    for (EndpointPool p : pools.values()) {
      p.closeIdleSince(now, IDLE_TIMEOUT_NANOS);
    }
    for (Map<InetSocketAddress, EndpointPool> byAddress : tlsPools.values()) {
      for (EndpointPool p : byAddress.values()) {
        p.closeIdleSince(now, IDLE_TIMEOUT_NANOS);
      }
    }
    for (Map<InetSocketAddress, Http2EndpointPool> byAddress : http2Pools.values()) {
      for (Http2EndpointPool p : byAddress.values()) {
        p.closeIdleSince(now, IDLE_TIMEOUT_NANOS);
      }
    }
  }
}
