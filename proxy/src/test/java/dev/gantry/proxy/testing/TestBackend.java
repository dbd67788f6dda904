package dev.gantry.proxy.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP/1.1 server on 127.0.0.1 for tests. By default it answers {@code name} as the body and echoes
 * what it received in headers; a custom responder can answer anything. It records every request it saw and
 * every connection it accepted.
 */
public final class TestBackend implements AutoCloseable {

  /** What the backend saw of one request. */
  public record Seen(String method, String uri, HttpHeaders headers, String body, String connectionId) {
  }

  private final String name;
  private final EventLoopGroup group;
  private final Channel server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final Set<String> connections = ConcurrentHashMap.newKeySet();
  private final Set<Channel> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connectionCounter = new AtomicInteger();
  private volatile Function<FullHttpRequest, FullHttpResponse> responder;

  private TestBackend(String name, String host, int port) throws InterruptedException {
    this.name = name;
    this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.responder = this::defaultResponse;
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            String id = name + "#" + connectionCounter.incrementAndGet();
            connections.add(id);
            open.add(ch);
            ch.closeFuture().addListener(f -> open.remove(ch));
            ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                new HttpObjectAggregator(16 << 20), new Handler(id));
          }
        });
    this.server = b.bind(new InetSocketAddress(host, port)).sync().channel();
  }

  public static TestBackend start(String name) {
    return start(name, 0);
  }

  public static TestBackend start(String name, int port) {
    return start(name, "127.0.0.1", port);
  }

  /** A backend on {@code host} (an address of this machine), on {@code port} or a free one when 0. */
  public static TestBackend start(String name, String host, int port) {
    try {
      return new TestBackend(name, host, port);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String name() {
    return name;
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  public TestBackend respondWith(Function<FullHttpRequest, FullHttpResponse> responder) {
    this.responder = responder;
    return this;
  }

  public List<Seen> seen() {
    return seen;
  }

  public Seen last() {
    return seen.get(seen.size() - 1);
  }

  /** Distinct connections accepted so far. */
  public int connectionCount() {
    return connections.size();
  }

  /** A YAML endpoint line for this backend. */
  public String endpoint() {
    return "{address: 127.0.0.1, port: " + port() + "}";
  }

  private FullHttpResponse defaultResponse(FullHttpRequest req) {
    return text(HttpResponseStatus.OK, name);
  }

  public static FullHttpResponse text(HttpResponseStatus status, String body) {
    ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
    r.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    return r;
  }

  /** Stops like a crashed process: no more connections, and every open one is closed at once. */
  @Override
  public void close() {
    server.close().syncUninterruptibly();
    for (Channel ch : open) {
      ch.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final String connectionId;

    Handler(String connectionId) {
      this.connectionId = connectionId;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      seen.add(new Seen(req.method().name(), req.uri(), req.headers().copy(),
          req.content().toString(StandardCharsets.UTF_8), connectionId));
      FullHttpResponse resp = responder.apply(req);
      if (resp == null) {
        ctx.close();
        return;
      }
      resp.headers().set("x-backend", name);
      resp.headers().set("x-connection", connectionId);
      boolean keepAlive = HttpUtil.isKeepAlive(req) && HttpUtil.isKeepAlive(resp);
      var f = ctx.writeAndFlush(resp);
      if (!keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** Headers of the last request, for assertions, as a plain map of first values. */
  public Map<String, String> lastHeaders() {
    Map<String, String> m = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    last().headers().forEach(e -> m.putIfAbsent(e.getKey(), e.getValue()));
    return m;
  }
}
