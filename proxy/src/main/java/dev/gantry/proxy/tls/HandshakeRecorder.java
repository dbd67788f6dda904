package dev.gantry.proxy.tls;

import dev.gantry.proxy.admin.TlsStats;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts the TLS handshake of an HTTPS connection, by version or as a failure, then leaves the pipeline. */
public final class HandshakeRecorder extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(HandshakeRecorder.class);

  private final TlsStats stats;

  public HandshakeRecorder(TlsStats stats) {
    this.stats = stats;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      if (done.isSuccess()) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        stats.handshake(ssl == null ? "unknown" : ssl.engine().getSession().getProtocol());
      } else {
        stats.failure();
        LOG.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), done.cause().toString());
      }
      ctx.pipeline().remove(this);
    } else if (evt instanceof SniCompletionEvent sni && !sni.isSuccess()) {
      // Not a ClientHello at all, or an oversized one: the SNI handler closes the connection.
      stats.failure();
      LOG.debug("TLS ClientHello from {} rejected: {}", ctx.channel().remoteAddress(), sni.cause().toString());
      ctx.pipeline().remove(this);
    }
    ctx.fireUserEventTriggered(evt);
  }
}
