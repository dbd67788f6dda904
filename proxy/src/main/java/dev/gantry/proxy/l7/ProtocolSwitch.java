package dev.gantry.proxy.l7;

import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.config.ActiveConfig;
import dev.gantry.proxy.config.ListenerRemoved;
import dev.gantry.proxy.config.ListenerRuntime;
import dev.gantry.proxy.tls.TlsSettings;
import dev.gantry.proxy.upstream.UpstreamPools;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SniCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once the TLS handshake is done, installs what ALPN chose: HTTP/2, or HTTP/1.1 (also for clients that
 * offered no ALPN). Failed handshakes only close the connection: they are counted, and at debug level logged,
 * by the handshake recorder; a client that resets mid-handshake is no warning.
 */
final class ProtocolSwitch extends ApplicationProtocolNegotiationHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ProtocolSwitch.class);

  private final ListenerRuntime listener;
  private final ActiveConfig config;
  private final UpstreamPools pools;
  private final AccessLog accessLog;
  /** A reload removed the listener while the handshake ran: the chosen protocol winds down at once. */
  private boolean listenerRemoved;

  ProtocolSwitch(ListenerRuntime listener, ActiveConfig config, UpstreamPools pools, AccessLog accessLog) {
    super(TlsSettings.HTTP_1_1);
    this.listener = listener;
    this.config = config;
    this.pools = pools;
    this.accessLog = accessLog;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    // Auto-read is off: the first read starts the handshake; TLS then reads as it needs until it is done.
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    ClientIdentity.establish(ctx.channel(), listener.tls().clientValidation());
    if (TlsSettings.H2.equals(protocol)) {
      Http2Pipeline.addAfter(ctx, listener, config, pools, accessLog);
    } else {
      HttpPipeline.addAfter(ctx, listener.stats(), config, listener.port(), pools, accessLog);
    }
    if (listenerRemoved) {
      // After what the client sent with the handshake has reached the new handlers: a request that came
      // along is answered, then the connection closes (HTTP/2: GOAWAY).
      ChannelPipeline pipeline = ctx.pipeline();
      ctx.channel().eventLoop().execute(() -> pipeline.fireUserEventTriggered(ListenerRemoved.INSTANCE));
    }
  }

  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == ListenerRemoved.INSTANCE) {
      // Still handshaking (bounded by its timeout): passed on once the protocol is chosen.
      listenerRemoved = true;
      return;
    }
    if (evt instanceof SniCompletionEvent sni && sni.isSuccess()) {
      MisdirectedRequests.recordServerName(ctx.channel(), listener.tls(), sni.hostname());
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("HTTPS connection from {} failed before its protocol was chosen: {}", ctx.channel().remoteAddress(),
        cause.toString());
    ctx.close();
  }
}
