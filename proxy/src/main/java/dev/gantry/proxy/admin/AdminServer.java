package dev.gantry.proxy.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The admin port: {@code /healthz} (the process is alive), {@code /readyz} (a configuration is served),
 * {@code /metrics} (Prometheus text format), and JSON pages of live state such as {@code /backends} and
 * {@code /served}. It runs on its own event loop, apart from traffic.
 */
public final class AdminServer implements AutoCloseable {

  private final Channel channel;

  private AdminServer(Channel channel) {
    this.channel = channel;
  }

  /**
   * @param jsonPages path (such as {@code /backends}) to the JSON it answers, rendered at each request
   */
  public static AdminServer start(EventLoopGroup group, Class<? extends ServerChannel> channelClass,
      String address, int port, MetricsRegistry metrics, BooleanSupplier ready,
      Map<String, Supplier<String>> jsonPages) throws InterruptedException {
    Map<String, Supplier<String>> pages = Map.copyOf(jsonPages);
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(channelClass)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpServerCodec());
            ch.pipeline().addLast(new HttpObjectAggregator(8192));
            ch.pipeline().addLast(new Handler(metrics, ready, pages));
          }
        });
    return new AdminServer(b.bind(new InetSocketAddress(address, port)).sync().channel());
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }

  private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final MetricsRegistry metrics;
    private final BooleanSupplier ready;
    private final Map<String, Supplier<String>> jsonPages;
    private final String notFound;

    Handler(MetricsRegistry metrics, BooleanSupplier ready, Map<String, Supplier<String>> jsonPages) {
      this.metrics = metrics;
      this.ready = ready;
      this.jsonPages = jsonPages;
      this.notFound = "not found: try /healthz, /readyz, /metrics"
          + String.join("", new TreeMap<>(jsonPages).keySet().stream().map(p -> ", " + p).toList()) + "\n";
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      String path = req.uri();
      int q = path.indexOf('?');
      if (q >= 0) {
        path = path.substring(0, q);
      }
      FullHttpResponse resp;
      if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
        resp = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET and HEAD\n");
      } else {
        resp = switch (path) {
          case "/healthz" -> text(HttpResponseStatus.OK, "ok\n");
          case "/readyz" -> ready.getAsBoolean() ? text(HttpResponseStatus.OK, "ready\n")
              : text(HttpResponseStatus.SERVICE_UNAVAILABLE, "no configuration served yet\n");
          case "/metrics" -> {
            FullHttpResponse r = text(HttpResponseStatus.OK, metrics.scrape());
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            yield r;
          }
          default -> json(jsonPages.get(path));
        };
      }
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      HttpUtil.setKeepAlive(resp, keepAlive);
      if (req.method().equals(HttpMethod.HEAD)) {
        resp.content().clear();
      }
      var f = ctx.writeAndFlush(resp);
      if (!keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }

    private FullHttpResponse json(Supplier<String> page) {
      if (page == null) {
        return text(HttpResponseStatus.NOT_FOUND, notFound);
      }
      FullHttpResponse r = text(HttpResponseStatus.OK, page.get());
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
      return r;
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
      ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
      FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      r.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
      return r;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
