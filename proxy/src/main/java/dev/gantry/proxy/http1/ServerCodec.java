package dev.gantry.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
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
 * The client side's HTTP/1.1 codec: a {@link MessageDecoder} behind a gate that checks each request head's raw
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
  final class Decoder extends MessageDecoder {

    private final HttpDecoderConfig config;
    private final HeadGate gate;

    private Decoder(HttpDecoderConfig config, HeadGate gate) {
      super(config);
      this.config = config;
      this.gate = gate;
    }

    @Override
    void decoded(Object msg) {
      if (msg instanceof HttpRequest req) {
        unanswered.add(req.method());
      }
    }

    @Override
    int checkedHead(ByteBuf in) {
      return gate.checkedHead(in, true);
    }

    @Override
    HeadParser.Parsed<HttpRequest> parse(int length) {
      return HeadParser.request(gate.checkedBytes(), length);
    }

    /** A failed request, as the decoder hands on for what it cannot parse. */
    @Override
    HttpMessage invalidMessage() {
      return new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request");
    }

    @Override
    Fallback newFallback() {
      return new NettyDecoder(config);
    }

    @Override
    void messageEnded() {
      gate.reset();
    }
  }

  /** Netty's request decoder, for the requests with Transfer-Encoding. */
  private static final class NettyDecoder extends HttpRequestDecoder implements MessageDecoder.Fallback {

    NettyDecoder(HttpDecoderConfig config) {
      super(HeadGate.behindGate(config));
    }

    @Override
    public void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
      super.decode(ctx, in, out);
    }

    @Override
    public void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
      super.decodeLast(ctx, in, out);
    }

    @Override
    public void release(ChannelHandlerContext ctx) throws Exception {
      handlerRemoved0(ctx);
    }
  }

  /**
   * Response encoding that knows which request each response answers. A {@link VerbatimResponse} nobody
   * touched goes out as the bytes it arrived as, and its body after it as it is: gathered into one buffer with
   * its head when the whole response is small ({@link GatheredMessage}).
   */
  final class Encoder extends HttpResponseEncoder {

    /** Whether the body of a verbatim head is being written: its pieces go out without framing. */
    private boolean verbatimBody;
    private final GatheredMessage gathered = new GatheredMessage();

    private Encoder() {
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
      if (msg instanceof VerbatimResponse head && head.untouched()) {
        unanswered.poll();
        verbatimBody = true;
        int headLength = head.relayedLength();
        if (GatheredMessage.fits(headLength, head.bodyLength())) {
          ByteBuf bytes = LoopBuffer.take(ctx.alloc(), headLength + (int) head.bodyLength());
          head.copyRaw(bytes);
          gathered.start(bytes, promise);
        } else {
          head.writeRaw(ctx, promise);
        }
      } else if (verbatimBody && msg instanceof HttpContent piece) {
        boolean last = piece instanceof LastHttpContent;
        verbatimBody = !last;
        if (gathered.active()) {
          gathered.add(ctx, piece, promise, last);
        } else {
          ctx.write(piece.content(), promise);
        }
      } else {
        gathered.writeOut(ctx);
        super.write(ctx, msg, promise);
      }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      gathered.flush(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      gathered.release();
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
