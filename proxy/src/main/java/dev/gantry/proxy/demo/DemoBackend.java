package dev.gantry.proxy.demo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A tiny web server for the demo: answers every request with who it is and what it received. */
final class DemoBackend implements AutoCloseable {

  private final Channel channel;

  private DemoBackend(Channel channel) {
    this.channel = channel;
  }

  static DemoBackend start(EventLoopGroup group, Class<? extends ServerChannel> channelClass, int port,
      String who) throws InterruptedException {
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(channelClass)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                new HttpObjectAggregator(1 << 20), new Responder(who));
          }
        });
    return new DemoBackend(b.bind(new InetSocketAddress("127.0.0.1", port)).sync().channel());
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }

  private static final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final String who;

    Responder(String who) {
      this.who = who;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      String body = "Hello from the " + who + "!\n"
          + "  you asked for:   " + req.method() + " " + req.uri() + "\n"
          + "  Host:            " + req.headers().get(HttpHeaderNames.HOST) + "\n"
          + "  X-Forwarded-For: " + req.headers().get("X-Forwarded-For") + "\n";
      ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
      FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, content);
      resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
      resp.headers().set("X-Backend", who);
      ctx.writeAndFlush(resp);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
