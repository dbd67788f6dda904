package dev.gantry.proxy.l7;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * On an HTTP/2 stream, turns a backend's answer to a gRPC request that is not gRPC (say an HTML 503 from a server
 * in front of the gRPC service) into the gRPC status gRPC's HTTP-to-gRPC table gives it, as a trailers-only
 * response; the answer's body is dropped. gRPC answers, and the proxy's own (already in gRPC's form), pass as
 * they are.
 */
final class GrpcAnswerTranslator extends ChannelDuplexHandler {

  private boolean grpcRequest;
  /** Dropping the body of a translated answer, up to its last part. */
  private boolean dropping;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest req) {
      grpcRequest = GrpcStatus.isGrpc(req.headers());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (dropping) {
      dropping = !(msg instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
      promise.trySuccess();
      return;
    }
    if (grpcRequest && msg instanceof HttpResponse resp && !GrpcStatus.isGrpc(resp.headers())
        && resp.status().code() >= 200) {
      int code = resp.status().code();
      dropping = !(msg instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
      ctx.write(GrpcStatus.trailersOnly(GrpcStatus.ofBackendAnswer(code), "backend answered HTTP " + code, false),
          promise);
      return;
    }
    ctx.write(msg, promise);
  }
}
