package dev.gantry.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The backend side's HTTP/1.1 codec: Netty's request encoder, and its response decoder behind a gate that
 * checks each response head's raw bytes against {@link HeadSyntax} first. A byte that arrives when no
 * response is due (after a complete response, or on an idle connection) is a protocol violation: it becomes
 * a failed response, so the connection is closed rather than reused with a stray byte in its buffer.
 */
public final class BackendCodec extends CombinedChannelDuplexHandler<BackendCodec.Decoder, BackendCodec.Encoder> {

  /** Methods of the requests sent whose final response has not been decoded yet, oldest first. */
  private final ArrayDeque<HttpMethod> awaiting = new ArrayDeque<>(2);
  /** Whether the last request sent asked for an upgrade: only then may a 101 switch protocols. */
  private boolean upgradeAsked;

  public BackendCodec(HttpDecoderConfig config, int maxStatusLine, int maxHeaders) {
    HeadGate gate = new HeadGate(maxStatusLine, maxStatusLine + maxHeaders + 1024, 502, 502, 502);
    init(new Decoder(config, gate), new Encoder());
  }

  /** Response decoding, one raw-checked head at a time. */
  final class Decoder extends HttpResponseDecoder {

    private final HeadGate gate;
    private boolean awaitingHead = true;
    private boolean finalResponse;
    private boolean refused;
    /** After a 101, the bytes are another protocol's: the decoder passes them on as they are. */
    private boolean switched;

    private Decoder(HttpDecoderConfig config, HeadGate gate) {
      super(HeadGate.behindGate(config));
      this.gate = gate;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
      if (refused) {
        in.skipBytes(in.readableBytes());
        return;
      }
      int before = out.size();
      if (awaitingHead && !switched) {
        if (awaiting.isEmpty()) {
          refuse(in, out, new RejectedHead(502, "bytes from the backend when no response was due"));
          return;
        }
        try {
          if (gate.checkedHead(in, false) == HeadGate.INCOMPLETE) {
            return;
          }
        } catch (RejectedHead problem) {
          refuse(in, out, problem);
          return;
        }
        awaitingHead = false;
      }
      super.decode(ctx, in, out);
      for (int i = before; i < out.size(); i++) {
        Object msg = out.get(i);
        if (msg instanceof HttpResponse resp) {
          finalResponse = resp.status().codeClass() != HttpStatusClass.INFORMATIONAL;
          if (resp.status().code() == 101 && !upgradeAsked && resp.decoderResult().isSuccess()) {
            // An unasked-for switch would let whatever follows past every check.
            resp.setDecoderResult(
                DecoderResult.failure(new RejectedHead(502, "101 to a request without Upgrade")));
          }
          switched |= resp.status().code() == 101;
        }
        if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
          refused = true;
        } else if (msg instanceof LastHttpContent) {
          awaitingHead = true;
          gate.reset();
          if (finalResponse) {
            awaiting.poll();
          }
        }
      }
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
      HttpMethod method = awaiting.peek();
      return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
    }

    private void refuse(ByteBuf in, List<Object> out, RejectedHead problem) {
      refused = true;
      in.skipBytes(in.readableBytes());
      HttpResponse invalid = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY);
      invalid.setDecoderResult(DecoderResult.failure(problem));
      out.add(invalid);
    }
  }

  /** Request encoding that remembers each request's method, for the framing of its response. */
  final class Encoder extends HttpRequestEncoder {

    private Encoder() {
    }

    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
      FieldLinesWriter.write(headers, buf);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
      if (msg instanceof HttpRequest req) {
        awaiting.add(req.method());
        upgradeAsked = req.headers().contains(HttpHeaderNames.UPGRADE);
      }
      super.write(ctx, msg, promise);
    }
  }
}
