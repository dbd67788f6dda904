package dev.gantry.proxy.l4;

import dev.gantry.proxy.tls.TlsSettings;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the ClientHello of a TLS-passthrough connection without terminating TLS, however many TCP segments
 * and TLS records it spans, and chooses the backend by its server name. Then it leaves the pipeline, handing
 * every byte it buffered to the relay unchanged, so the backend gets the client's TLS stream as it was sent.
 * What is not a TLS ClientHello, does not parse, or is longer than {@link TlsSettings#MAX_CLIENT_HELLO} is refused.
 */
public final class SniPeekHandler extends SslClientHelloHandler<PassthroughRoutes.Choice> {

  private static final Logger LOG = LoggerFactory.getLogger(SniPeekHandler.class);

  private final PassthroughRoutes routes;
  private final TcpProxyHandler relay;
  private String serverName;

  public SniPeekHandler(PassthroughRoutes routes, TcpProxyHandler relay) {
    super(TlsSettings.MAX_CLIENT_HELLO);
    this.routes = routes;
    this.relay = relay;
  }

  @Override
  protected Future<PassthroughRoutes.Choice> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) {
    if (clientHello == null) {
      // The first record is not a handshake record starting with a ClientHello.
      return ctx.executor().newFailedFuture(new NotSslRecordException("not a TLS ClientHello"));
    }
    try {
      serverName = ClientHellos.serverName(clientHello);
    } catch (ClientHellos.MalformedClientHelloException e) {
      return ctx.executor().newFailedFuture(e);
    }
    return ctx.executor().newSucceededFuture(routes.choose(serverName));
  }

  @Override
  protected void onLookupComplete(ChannelHandlerContext ctx, Future<PassthroughRoutes.Choice> future) {
    if (!future.isSuccess()) {
      LOG.debug("connection from {} refused: {}", ctx.channel().remoteAddress(), future.cause().getMessage());
      relay.reject();
      return;
    }
    relay.route(future.getNow(), serverName);
    // Removal passes the buffered ClientHello (and anything after it) on to the relay.
    ctx.pipeline().remove(this);
  }
}
