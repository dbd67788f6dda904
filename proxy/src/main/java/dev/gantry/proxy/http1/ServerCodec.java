package dev.gantry.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The client side's HTTP/1.1 codec: Netty's request decoder behind a gate that checks each request head's raw
 * bytes against {@link HeadSyntax} first, and Netty's response encoder, told which responses answer HEAD
 * (they never have a body, whatever their headers say).
 */
public final class ServerCodec extends CombinedChannelDuplexHandler<ServerCodec.Decoder, ServerCodec.Encoder> {

  /** Requests decoded and not yet answered, oldest first: what the encoder needs to frame each response. */
  private final ArrayDeque<HttpMethod> unanswered = new ArrayDeque<>(4);

  /**
   * @param maxRequestLine longest request line, beyond which the client gets 414
   * @param maxHeaders most bytes of field lines, beyond which the client gets 431
   */
  public ServerCodec(HttpDecoderConfig config, int maxRequestLine, int maxHeaders) {
    HeadGate gate = new HeadGate(maxRequestLine, maxRequestLine + maxHeaders + 1024, 400, 414, 431);
    init(new Decoder(config, gate), new Encoder());
  }

  /** Request decoding, one raw-checked head at a time. */
  final class Decoder extends HttpRequestDecoder {

    private final HeadGate gate;
    private boolean awaitingHead = true;
    private boolean refused;

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
      if (awaitingHead) {
        try {
          if (gate.checkedHead(in, true) == HeadGate.INCOMPLETE) {
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
        if (msg instanceof HttpRequest req) {
          unanswered.add(req.method());
        }
        if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
          // The decoder ignores everything after a message it could not parse; so does the gate.
          refused = true;
        } else if (msg instanceof LastHttpContent) {
          awaitingHead = true;
          gate.reset();
        }
      }
    }

    /** Hands on a failed request, as the decoder does for what it cannot parse, and ignores everything after. */
    private void refuse(ByteBuf in, List<Object> out, RejectedHead problem) {
      refused = true;
      in.skipBytes(in.readableBytes());
      HttpRequest invalid = new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request");
      invalid.setDecoderResult(DecoderResult.failure(problem));
      unanswered.add(HttpMethod.GET);
      out.add(invalid);
    }
  }

  /** Response encoding that knows which request each response answers. */
  final class Encoder extends HttpResponseEncoder {

    private Encoder() {
    }

    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
      FieldLinesWriter.write(headers, buf);
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
      if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        // 100 Continue and 101 answer nothing yet: the final response is still to come.
        return super.isContentAlwaysEmpty(msg);
      }
      HttpMethod answered = unanswered.poll();
      return HttpMethod.HEAD.equals(answered) || super.isContentAlwaysEmpty(msg);
    }
  }
}
