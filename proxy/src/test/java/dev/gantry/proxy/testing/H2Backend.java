package dev.gantry.proxy.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/2 server on 127.0.0.1 for tests (Netty's frame codec): h2c with prior knowledge, or TLS with
 * ALPN h2 when given a certificate. What it answers depends on the path:
 * <ul>
 *   <li>any path: 200, and a body naming it and echoing {@code :method :path :authority :scheme}, the request
 *       body and the request trailers;</li>
 *   <li>{@code /trailers}: a body, then trailers ({@code grpc-status: 0}, {@code x-checksum: 42});</li>
 *   <li>{@code /trailers-only}: a single HEADERS frame ending the stream, with {@code grpc-status: 5};</li>
 *   <li>{@code /hold}: nothing until {@link #releaseHeld()};</li>
 *   <li>{@code /big}: a body of 1 MiB, as fast as flow control lets it go;</li>
 *   <li>{@code /head/N}: 200 with a header field {@code x-large} of N characters;</li>
 *   <li>{@code /reset}: RST_STREAM INTERNAL_ERROR; {@code /status/NNN}: that status;</li>
 *   <li>{@code /healthz}: 200 or 503, as {@link #healthy(boolean)} says;</li>
 *   <li>{@code /goaway}: answers, then sends GOAWAY and closes the connection once its streams are done.</li>
 * </ul>
 * {@link #refuseNext(int)} refuses the next streams with REFUSED_STREAM whatever their path. It counts the
 * connections it accepted and the most streams it had open at once, overall and on one connection.
 */
public final class H2Backend implements AutoCloseable {

  /** What the backend saw of one request. */
  public record Seen(String method, String path, String authority, String scheme, Http2Headers headers,
      String body, Map<String, String> trailers, int connection) {
  }

  private final String name;
  private final EventLoopGroup group;
  private final Channel server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final Set<Channel> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger streams = new AtomicInteger();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger maxActive = new AtomicInteger();
  private final AtomicInteger maxActivePerConnection = new AtomicInteger();
  private final AtomicInteger refuse = new AtomicInteger();
  private final List<ChannelHandlerContext> held = new CopyOnWriteArrayList<>();
  private volatile boolean healthy = true;

  private H2Backend(String name, TestCertificates.Issued certificate, int maxConcurrentStreams)
      throws Exception {
    this.name = name;
    this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    SslContext tls = certificate == null ? null : SslContextBuilder
        .forServer(certificate.keys().getPrivate(), certificate.chain().toArray(new X509Certificate[0]))
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
        .build();
    Http2Settings settings = Http2Settings.defaultSettings();
    if (maxConcurrentStreams > 0) {
      settings.maxConcurrentStreams(maxConcurrentStreams);
    }
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            int id = connections.incrementAndGet();
            open.add(ch);
            ch.closeFuture().addListener(f -> open.remove(ch));
            if (tls != null) {
              ch.pipeline().addLast(tls.newHandler(ch.alloc()));
            }
            AtomicInteger here = new AtomicInteger();
            ch.pipeline().addLast(
                Http2FrameCodecBuilder.forServer().initialSettings(settings).gracefulShutdownTimeoutMillis(10_000)
                    .build(),
                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                  @Override
                  protected void initChannel(Http2StreamChannel stream) {
                    streams.incrementAndGet();
                    maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
                    maxActivePerConnection.accumulateAndGet(here.incrementAndGet(), Math::max);
                    stream.closeFuture().addListener(f -> {
                      active.decrementAndGet();
                      here.decrementAndGet();
                    });
                    stream.pipeline().addLast(new StreamHandler(id));
                  }
                }));
          }
        });
    this.server = b.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  /** An h2c server (prior knowledge), allowing as many concurrent streams as Netty does by default. */
  public static H2Backend cleartext(String name) {
    return start(name, null, 0);
  }

  /** A server; TLS with ALPN h2 when {@code certificate} is given; {@code maxConcurrentStreams} when > 0. */
  public static H2Backend start(String name, TestCertificates.Issued certificate, int maxConcurrentStreams) {
    try {
      return new H2Backend(name, certificate, maxConcurrentStreams);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  public String endpoint() {
    return "{address: 127.0.0.1, port: " + port() + "}";
  }

  public List<Seen> seen() {
    return seen;
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  /** Streams opened so far (refused ones included). */
  public int streams() {
    return streams.get();
  }

  /** The most streams open at once, over all connections. */
  public int maxActiveStreams() {
    return maxActive.get();
  }

  /** The most streams open at once on one connection. */
  public int maxActiveStreamsPerConnection() {
    return maxActivePerConnection.get();
  }

  public int heldCount() {
    return held.size();
  }

  public void healthy(boolean healthy) {
    this.healthy = healthy;
  }

  /** Refuses the next {@code n} streams with RST_STREAM REFUSED_STREAM. */
  public void refuseNext(int n) {
    refuse.set(n);
  }

  /** Answers every request held by {@code /hold}. */
  public void releaseHeld() {
    for (ChannelHandlerContext ctx : held) {
      held.remove(ctx);
      ctx.executor().execute(() -> answer(ctx, "held", 200));
    }
  }

  /** Sends GOAWAY on every open connection and closes each once its streams are done. */
  public void goAwayAll() {
    for (Channel ch : open) {
      ch.eventLoop().execute(() -> goAway(ch));
    }
  }

  /**
   * A graceful GOAWAY, as servers shutting down send it first: its last stream id leaves room for the streams
   * the client may have sent before reading it, which are still served; the connection closes 300 ms later,
   * once its streams are done.
   */
  private static final AttributeKey<Boolean> GONE_AWAY = AttributeKey.valueOf("goneAway");

  private static void goAway(Channel ch) {
    if (ch.attr(GONE_AWAY).setIfAbsent(true) != null) {
      return;
    }
    ch.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR).setExtraStreamIds(1000))
        .addListener(f -> ch.eventLoop().schedule(() -> ch.close(), 300, TimeUnit.MILLISECONDS));
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static void answer(ChannelHandlerContext ctx, String body, int status) {
    ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status(String.valueOf(status))
        .set("content-type", "text/plain")));
    ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), true));
  }

  /** One stream: gathers the request (head, body, trailers), then answers as its path says. */
  private final class StreamHandler extends SimpleChannelInboundHandler<Http2StreamFrame> {
    private final int connection;
    private Http2Headers head;
    private final StringBuilder body = new StringBuilder();
    private final Map<String, String> trailers = new TreeMap<>();

    StreamHandler(int connection) {
      this.connection = connection;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
      boolean end = false;
      if (frame instanceof Http2HeadersFrame h) {
        if (head == null) {
          head = h.headers();
          if (refuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
            return;
          }
          if ("/reset".contentEquals(head.path())) {
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR));
            return;
          }
        } else {
          h.headers().forEach(e -> trailers.put(e.getKey().toString(), e.getValue().toString()));
        }
        end = h.isEndStream();
      } else if (frame instanceof Http2DataFrame d) {
        ByteBuf content = d.content();
        body.append(content.toString(StandardCharsets.UTF_8));
        end = d.isEndStream();
      }
      if (end && head != null) {
        respond(ctx);
      }
    }

    private void respond(ChannelHandlerContext ctx) {
      String path = head.path().toString();
      seen.add(new Seen(String.valueOf(head.method()), path, String.valueOf(head.authority()),
          String.valueOf(head.scheme()), head, body.toString(), Map.copyOf(trailers), connection));
      if (path.equals("/hold")) {
        held.add(ctx);
      } else if (path.equals("/big")) {
        ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")));
        for (int i = 0; i < 64; i++) {
          ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(new byte[16 * 1024]), i == 63));
        }
        ctx.flush();
      } else if (path.equals("/trailers")) {
        ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
            .set("content-type", "text/plain")));
        ctx.write(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("with trailers", StandardCharsets.UTF_8)));
        ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().set("grpc-status", "0")
            .set("x-checksum", "42"), true));
      } else if (path.equals("/trailers-only")) {
        ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
            .set("content-type", "application/grpc").set("grpc-status", "5").set("grpc-message", "not found"),
            true));
      } else if (path.startsWith("/head/")) {
        int n = Integer.parseInt(path.substring("/head/".length()));
        ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
            .set("x-large", "a".repeat(n)), true));
      } else if (path.startsWith("/status/")) {
        int status = Integer.parseInt(path.substring("/status/".length()));
        answer(ctx, "status " + status, status);
      } else if (path.equals("/healthz")) {
        answer(ctx, name, healthy ? 200 : 503);
      } else {
        answer(ctx, name + " " + head.method() + " " + path + " " + head.authority() + " " + head.scheme()
            + " body=" + body + " trailers=" + trailers, 200);
        if (path.equals("/goaway")) {
          goAway(ctx.channel().parent());
        }
      }
    }
  }
}
