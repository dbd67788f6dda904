package dev.gantry.proxy.health;

import dev.gantry.model.HealthCheckProtocol;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import dev.gantry.proxy.upstream.BackendTls;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One health check attempt: a TCP connect, or an HTTP GET whose status must be 2xx or 3xx, within the
 * timeout; for a TLS backend, after a verified handshake. The result is reported exactly once, on the checker's event loop.
 */
final class Probe {

  private final EventLoop loop;
  private final Class<? extends SocketChannel> channelClass;

  Probe(EventLoop loop, Class<? extends SocketChannel> channelClass) {
    this.loop = loop;
    this.channelClass = channelClass;
  }

  void run(CheckSpec spec, Consumer<Boolean> result) {
    boolean[] reported = {false};
    Consumer<Boolean> once = ok -> {
      if (!reported[0]) {
        reported[0] = true;
        result.accept(ok);
      }
    };
    Bootstrap b = new Bootstrap()
        .group(loop)
        .channel(channelClass)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(spec.timeoutNanos())))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (spec.protocol() == HealthCheckProtocol.HTTP && !spec.http2()) {
              ch.pipeline().addLast(new HttpClientCodec(), new StatusReader(once));
            }
          }
        });
    ChannelFuture f = b.connect(spec.address());
    var timeout = loop.schedule(() -> {
      once.accept(false);
      f.channel().close();
    }, spec.timeoutNanos(), TimeUnit.NANOSECONDS);
    f.addListener(done -> {
      if (!done.isSuccess()) {
        timeout.cancel(false);
        once.accept(false);
      } else if (spec.tls() != null) {
        long handshakeMillis = TimeUnit.NANOSECONDS.toMillis(spec.timeoutNanos());
        BackendTls.handshake(f.channel(), spec.tls(), spec.address(), handshakeMillis, failure -> {
          if (failure != null) {
            timeout.cancel(false);
            once.accept(false);
          } else {
            checkConnected(spec, f, timeout, once);
          }
        });
      } else {
        checkConnected(spec, f, timeout, once);
      }
    });
  }

  /** The connection (with TLS, if any) is up: a TCP check passed, an HTTP check sends its request. */
  private static void checkConnected(CheckSpec spec, ChannelFuture f, ScheduledFuture<?> timeout,
      Consumer<Boolean> once) {
    if (spec.protocol() == HealthCheckProtocol.TCP) {
      timeout.cancel(false);
      once.accept(true);
      f.channel().close();
    } else {
      f.channel().closeFuture().addListener(closed -> {
        timeout.cancel(false);
        once.accept(false);
      });
      if (spec.http2()) {
        Http2Probe.send(f.channel(), request(spec), new StatusReader(once));
      } else {
        f.channel().writeAndFlush(request(spec));
      }
    }
  }

  private static FullHttpRequest request(CheckSpec spec) {
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, spec.path());
    String host = spec.address().getAddress().getHostAddress();
    r.headers()
        .set(HttpHeaderNames.HOST, (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + spec.address().getPort())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
        .set(HttpHeaderNames.USER_AGENT, "gantry-health-check")
        .set(HttpHeaderNames.CONTENT_LENGTH, 0);
    return r;
  }

  /** Judges the response by its status line and hangs up (the whole connection): the body does not matter. */
  static final class StatusReader extends SimpleChannelInboundHandler<HttpObject> {
    private final Consumer<Boolean> result;

    StatusReader(Consumer<Boolean> result) {
      this.result = result;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (msg instanceof HttpResponse r) {
        int code = r.status().code();
        result.accept(r.decoderResult().isSuccess() && code >= 200 && code < 400);
        (ctx.channel().parent() != null ? ctx.channel().parent() : ctx.channel()).close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      result.accept(false);
      (ctx.channel().parent() != null ? ctx.channel().parent() : ctx.channel()).close();
    }
  }
}
