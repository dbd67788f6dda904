package dev.gantry.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The backend side's HTTP/1.1 codec: Netty's request encoder, and a {@link MessageDecoder} behind a gate that
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
  final class Decoder extends MessageDecoder {

    private final HttpDecoderConfig config;
    private final HeadGate gate;
    private boolean finalResponse;

    private Decoder(HttpDecoderConfig config, HeadGate gate) {
      super(config);
      this.config = config;
      this.gate = gate;
    }

    @Override
    void decoded(Object msg) {
      if (msg instanceof HttpResponse resp) {
        finalResponse = resp.status().codeClass() != HttpStatusClass.INFORMATIONAL;
        if (resp.status().code() == 101 && !upgradeAsked && resp.decoderResult().isSuccess()) {
          // An unasked-for switch would let whatever follows past every check.
          resp.setDecoderResult(DecoderResult.failure(new RejectedHead(502, "101 to a request without Upgrade")));
        }
      }
    }

    @Override
    int checkedHead(ByteBuf in) {
      if (awaiting.isEmpty()) {
        throw new RejectedHead(502, "bytes from the backend when no response was due");
      }
      return gate.checkedHead(in, false);
    }

    @Override
    HeadParser.Parsed<HttpResponse> parse(int length) {
      return HeadParser.response(gate.checkedBytes(), length);
    }

    @Override
    HttpMessage invalidMessage() {
      return new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY);
    }

    @Override
    boolean isContentAlwaysEmpty(HttpMessage msg) {
      return answersHead() || super.isContentAlwaysEmpty(msg);
    }

    @Override
    Fallback newFallback() {
      return new NettyDecoder(config);
    }

    @Override
    void messageEnded() {
      gate.reset();
      if (finalResponse) {
        awaiting.poll();
      }
    }
  }

  private boolean answersHead() {
    return HttpMethod.HEAD.equals(awaiting.peek());
  }

  /** Netty's response decoder, for the responses with Transfer-Encoding. */
  private final class NettyDecoder extends HttpResponseDecoder implements MessageDecoder.Fallback {

    NettyDecoder(HttpDecoderConfig config) {
      super(HeadGate.behindGate(config));
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
      return answersHead() || super.isContentAlwaysEmpty(msg);
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
   * Request encoding that remembers each request's method, for the framing of its response. A head whose body is
   * framed by its length, or that has none, is written here and its body pieces after it as they are, gathered
   * into one buffer with the head when a request relayed as it arrived is small ({@link GatheredMessage}); Netty's
   * encoder is left the chunked ones, whose pieces need framing, and the messages that are head and body at once.
   */
  final class Encoder extends HttpRequestEncoder {

    /** The least room allocated for a head. */
    private static final int MIN_HEAD_BYTES = 256;

    /** Whether the body of a head written here is being written: its pieces go out without framing. */
    private boolean plainBody;
    /** The room to allocate for the next head: the last one's size and a little more. */
    private int headBytes = MIN_HEAD_BYTES;
    private final GatheredMessage gathered = new GatheredMessage();

    private Encoder() {
    }

    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
      FieldLinesWriter.write(headers, buf);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
      if (plainBody) {
        writeBodyPiece(ctx, msg, promise);
        return;
      }
      if (msg instanceof HttpRequest req) {
        awaiting.add(req.method());
        // A request relayed as it arrived has neither Upgrade nor Transfer-Encoding (see VerbatimRequest).
        VerbatimRequest verbatim = VerbatimRequest.untouched(req);
        upgradeAsked = verbatim == null && req.headers().contains(HttpHeaderNames.UPGRADE);
        if (verbatim != null || !(msg instanceof HttpContent) && !HttpUtil.isTransferEncodingChunked(req)) {
          writeHead(ctx, req, verbatim, promise);
          return;
        }
      }
      super.write(ctx, msg, promise);
    }

    /**
     * The request line, the field lines and the empty line, as Netty's encoder writes them; the field lines as
     * they arrived when {@code verbatim} is the request's untouched head.
     */
    private void writeHead(ChannelHandlerContext ctx, HttpRequest req, VerbatimRequest verbatim,
        ChannelPromise promise) throws Exception {
      ByteBuf head = LoopBuffer.take(ctx.alloc(), headBytes);
      try {
        encodeInitialLine(head, req);
        if (verbatim != null) {
          verbatim.writeFields(head);
        } else {
          FieldLinesWriter.write(req.headers(), head);
        }
        head.writeByte('\r').writeByte('\n');
      } catch (Exception | Error e) {
        head.release();
        throw e;
      } finally {
        ReferenceCountUtil.release(req);
      }
      headBytes = Math.max(MIN_HEAD_BYTES, head.readableBytes() + 64);
      plainBody = true;
      long bodyLength = verbatim == null ? 0 : verbatim.contentLength();
      if (bodyLength > 0 && GatheredMessage.fits(head.readableBytes(), bodyLength)) {
        head.ensureWritable((int) bodyLength);
        gathered.start(head, promise);
      } else {
        ctx.write(head, promise);
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

    /**
     * A piece of the body of a head written here, as it is; an empty one with nobody waiting on its write is not
     * written at all.
     */
    private void writeBodyPiece(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (!(msg instanceof HttpContent piece)) {
        ReferenceCountUtil.release(msg);
        throw new IllegalStateException("a " + msg.getClass().getSimpleName()
            + " written before the end of the request body being written");
      }
      plainBody = !(piece instanceof LastHttpContent);
      if (gathered.active()) {
        gathered.add(ctx, piece, promise, !plainBody);
        return;
      }
      ByteBuf content = piece.content();
      if (!content.isReadable() && promise.isVoid()) {
        content.release();
      } else {
        ctx.write(content, promise);
      }
    }
  }
}
