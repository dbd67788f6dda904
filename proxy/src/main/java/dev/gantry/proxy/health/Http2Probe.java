package dev.gantry.proxy.health;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;

/**
 * The HTTP request of a health check, sent to an HTTP/2 backend on a stream of a connection of its own:
 * h2c with prior knowledge, or h2 over the connection's TLS ({@code :scheme} follows).
 */
final class Http2Probe {

  private Http2Probe() {
  }

  static void send(Channel connection, FullHttpRequest request, ChannelHandler statusReader) {
    connection.pipeline().addLast(
        Http2FrameCodecBuilder.forClient().initialSettings(Http2Settings.defaultSettings().pushEnabled(false)).build(),
        new Http2MultiplexHandler(new Ignore()),
        new Ignore());
    connection.config().setAutoRead(true);
    connection.read();
    // Neither the connection nor the probe's single stream stays: Connection: close means nothing in HTTP/2.
    request.headers().remove(HttpHeaderNames.CONNECTION);
    new Http2StreamChannelBootstrap(connection)
        .handler(new io.netty.channel.ChannelInitializer<Http2StreamChannel>() {
          @Override
          protected void initChannel(Http2StreamChannel ch) {
            ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), statusReader);
          }
        })
        .open()
        .addListener(f -> {
          if (f.isSuccess()) {
            ((Http2StreamChannel) f.getNow()).writeAndFlush(request);
          } else {
            request.release();
            connection.close();
          }
        });
  }

  /** Frames of the connection itself, and pushed streams (never asked for): dropped. */
  @ChannelHandler.Sharable
  private static final class Ignore extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }
}
