package dev.gantry.proxy.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A backend that expects the PROXY protocol, decoded by Netty's own decoder (independent of the proxy's
 * encoder): it records each header, then echoes the bytes that follow it.
 */
public final class ProxyProtocolBackend implements AutoCloseable {

  /** What a header said. {@code authority} is the PP2_TYPE_AUTHORITY TLV (version 2), or null. */
  public record Header(String version, String source, int sourcePort, String destination, int destinationPort,
      String authority) {
  }

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  private final LinkedBlockingQueue<Header> headers = new LinkedBlockingQueue<>();

  public ProxyProtocolBackend() {
    ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HAProxyMessageDecoder(), new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HAProxyMessage m) {
                  String authority = null;
                  for (HAProxyTLV tlv : m.tlvs()) {
                    if (tlv.type() == HAProxyTLV.Type.PP2_TYPE_AUTHORITY) {
                      authority = tlv.content().toString(StandardCharsets.US_ASCII);
                    }
                  }
                  headers.add(new Header(m.protocolVersion().name(), m.sourceAddress(), m.sourcePort(),
                      m.destinationAddress(), m.destinationPort(), authority));
                  m.release();
                } else if (msg instanceof ByteBuf buf) {
                  ctx.writeAndFlush(buf);
                }
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
              }
            });
          }
        });
    server = b.bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  public String endpoint() {
    return "{address: 127.0.0.1, port: " + port() + "}";
  }

  /** The next header received, waiting up to 15 s. */
  public Header next() throws InterruptedException {
    return headers.poll(15, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
