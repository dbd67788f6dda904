package dev.gantry.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.List;

/**
 * Decodes HTTP/1.x messages into Netty's message objects, one head checked at a time: a head is handed on only
 * once all of it has arrived and passed {@link #checkedHead}, and is then built by {@link HeadParser} from the
 * bytes that were checked (a {@link VerbatimResponse} also holds a slice of the buffer they arrived in, a
 * {@link VerbatimRequest} a copy of its field lines). Bodies framed by Content-Length, by the end of the
 * connection (responses) or by nothing at all are read here; a message with Transfer-Encoding is left, head and
 * body, to Netty's decoder, which reads chunked bodies and their trailers (it is made on the first such message).
 * Body pieces are at most {@code maxChunk} bytes. A message that cannot be read comes out failed, and everything
 * after it is dropped.
 */
abstract class MessageDecoder extends ByteToMessageDecoder {

  /** Netty's decoder of the same direction, for the messages with Transfer-Encoding. */
  interface Fallback {
    void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception;

    void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception;

    void release(ChannelHandlerContext ctx) throws Exception;
  }

  private enum State { HEAD, LENGTH, UNTIL_CLOSE, FALLBACK, UPGRADED, BAD }

  private final int maxFirstLine;
  private final int maxFieldBytes;
  private final int maxChunk;
  private State state = State.HEAD;
  /** Bytes of a Content-Length body still to come. */
  private long remaining;
  /** Whether the message being read is a 101 to another protocol than HTTP/1.x: its bytes follow as they are. */
  private boolean switching;
  private Fallback fallback;

  /** The limits are those of Netty's decoder: its initial line length, header size and chunk size. */
  MessageDecoder(HttpDecoderConfig limits) {
    this.maxFirstLine = limits.getMaxInitialLineLength();
    this.maxFieldBytes = limits.getMaxHeaderSize();
    this.maxChunk = limits.getMaxChunkSize();
  }

  /**
   * The length of the complete, well-formed head at the reader index, or {@link HeadGate#INCOMPLETE}.
   *
   * @throws RejectedHead when the head is refused
   */
  abstract int checkedHead(ByteBuf in);

  /** The message of the head {@link #checkedHead} just passed, of {@code length} bytes. */
  abstract HeadParser.Parsed<? extends HttpMessage> parse(int length);

  /** The message that stands for a head that could not be read at all, to be marked failed. */
  abstract HttpMessage invalidMessage();

  abstract Fallback newFallback();

  /** Sees each object before it is handed on; may mark it failed, which ends the decoding. */
  abstract void decoded(Object msg);

  /** Called after {@link #decoded} of a message's end: the next bytes start a head. */
  abstract void messageEnded();

  /**
   * Whether the message has no body whatever its headers say: 1xx, 204 and 304 responses. (Netty's decoder
   * reads 16 bytes of body after the 101 of a WebSocket handshake of the 2010 Hixie-76 draft; here they are
   * the first bytes of the upgraded connection, passed on as they are.)
   */
  boolean isContentAlwaysEmpty(HttpMessage m) {
    if (!(m instanceof HttpResponse res)) {
      return false;
    }
    int code = res.status().code();
    return res.status().codeClass() == HttpStatusClass.INFORMATIONAL || code == 204 || code == 304;
  }

  @Override
  protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    int before = out.size();
    switch (state) {
      case HEAD -> readHead(ctx, in, out);
      case LENGTH -> readLength(in, out);
      case UNTIL_CLOSE -> {
        int n = Math.min(in.readableBytes(), maxChunk);
        if (n > 0) {
          out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
        }
      }
      case FALLBACK -> readFallback(ctx, in, out, false);
      case UPGRADED -> {
        if (in.isReadable()) {
          out.add(in.readRetainedSlice(in.readableBytes()));
        }
      }
      case BAD -> in.skipBytes(in.readableBytes());
      default -> throw new IllegalStateException(state.name());
    }
    handedOn(in, out, before);
  }

  /**
   * Shows the codec each object about to be handed on, in order ({@link #decoded}, then {@link #messageEnded}
   * at a message's end); after a failed one, everything is dropped.
   */
  private void handedOn(ByteBuf in, List<Object> out, int from) {
    for (int i = from; i < out.size(); i++) {
      Object msg = out.get(i);
      decoded(msg);
      if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
        state = State.BAD;
        in.skipBytes(in.readableBytes());
      } else if (msg instanceof LastHttpContent) {
        messageEnded();
      }
    }
  }

  private void readHead(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    int length;
    try {
      length = checkedHead(in);
    } catch (RejectedHead problem) {
      out.add(fail(in, invalidMessage(), problem));
      return;
    }
    if (length == HeadGate.INCOMPLETE) {
      return;
    }
    HeadParser.Parsed<? extends HttpMessage> head = parse(length);
    HttpMessage m = head.message();
    boolean lengthKnown = head.contentLength() >= 0;
    if (!lengthKnown && m.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      state = State.FALLBACK;
      readFallback(ctx, in, out, false);
      return;
    }
    in.skipBytes(length);
    if (head.firstLineBytes() > maxFirstLine) {
      out.add(fail(in, invalidMessage(),
          new TooLongHttpLineException("An HTTP line is larger than " + maxFirstLine + " bytes.")));
      return;
    }
    if (head.fieldBytes() > maxFieldBytes) {
      out.add(fail(in, m, new TooLongHttpHeaderException("HTTP header is larger than " + maxFieldBytes + " bytes.")));
      return;
    }
    long bodyLength;
    if (lengthKnown) {
      bodyLength = isContentAlwaysEmpty(m) ? 0 : head.contentLength();
    } else {
      try {
        bodyLength = bodyLength(m, head.lengthFields());
      } catch (IllegalArgumentException e) {
        out.add(fail(in, m, e));
        return;
      }
    }
    if (m instanceof VerbatimResponse verbatim) {
      verbatim.hold(in.retainedSlice(in.readerIndex() - length, length), Math.max(bodyLength, 0));
    }
    out.add(m);
    switching = m instanceof HttpResponse res && isSwitchingToOtherProtocol(res);
    if (bodyLength == 0) {
      out.add(LastHttpContent.EMPTY_LAST_CONTENT);
      ended();
    } else if (bodyLength > 0) {
      remaining = bodyLength;
      state = State.LENGTH;
    } else {
      state = State.UNTIL_CLOSE;
    }
  }

  /**
   * The body's length from the message's {@code lengthFields} Content-Length fields (several equal values count
   * as one), 0 when the message can have no body, -1 when it runs until the connection closes; refused as
   * Netty's decoder refuses it.
   */
  private long bodyLength(HttpMessage m, int lengthFields) {
    HttpHeaders headers = m.headers();
    long length = lengthFields == 1 ? digits(headers.get(HttpHeaderNames.CONTENT_LENGTH)) : -1;
    if (length < 0 && lengthFields > 0) {
      List<String> fields = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
      length = HttpUtil.normalizeAndGetContentLength(fields, m.protocolVersion() == HttpVersion.HTTP_1_0, false);
      if (length != -1 && (fields.size() > 1 || !spells(fields.get(0).trim(), length))) {
        headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
      }
    }
    if (isContentAlwaysEmpty(m)) {
      return 0;
    }
    if (length >= 0) {
      return length;
    }
    return m instanceof HttpRequest ? 0 : -1;
  }

  /**
   * The number a value of 1 to 18 decimal digits spells, else -1: the usual Content-Length, which Netty's check
   * accepts and keeps as it is (the rest takes that check).
   */
  private static long digits(String value) {
    int n = value.length();
    if (n == 0 || n > 18) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** Whether a single Content-Length value is the number itself (leading zeros allowed, as Netty allows them). */
  private static boolean spells(String value, long length) {
    try {
      return Long.parseLong(value) == length;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Netty's test: a 101 whose Upgrade does not name HTTP/1.0 or HTTP/1.1. */
  private static boolean isSwitchingToOtherProtocol(HttpResponse res) {
    if (res.status().code() != 101) {
      return false;
    }
    String protocol = res.headers().get(HttpHeaderNames.UPGRADE);
    return protocol == null || !protocol.contains(HttpVersion.HTTP_1_0.text())
        && !protocol.contains(HttpVersion.HTTP_1_1.text());
  }

  private void readLength(ByteBuf in, List<Object> out) {
    int n = (int) Math.min(Math.min(in.readableBytes(), maxChunk), remaining);
    if (n == 0) {
      return;
    }
    ByteBuf content = in.readRetainedSlice(n);
    remaining -= n;
    if (remaining == 0) {
      // A body framed by its length has no trailers: no map is made for them.
      out.add(new DefaultLastHttpContent(content, EmptyHttpHeaders.INSTANCE));
      ended();
    } else {
      out.add(new DefaultHttpContent(content));
    }
  }

  private void readFallback(ChannelHandlerContext ctx, ByteBuf in, List<Object> out, boolean last)
      throws Exception {
    if (fallback == null) {
      fallback = newFallback();
    }
    int before = out.size();
    if (last) {
      fallback.decodeLast(ctx, in, out);
    } else {
      fallback.decode(ctx, in, out);
    }
    for (int i = before; i < out.size(); i++) {
      Object msg = out.get(i);
      if (msg instanceof HttpResponse res) {
        switching = isSwitchingToOtherProtocol(res);
      }
      if (msg instanceof LastHttpContent end && end.decoderResult().isSuccess()) {
        ended();
      }
    }
  }

  private void ended() {
    state = switching ? State.UPGRADED : State.HEAD;
    switching = false;
  }

  private HttpMessage fail(ByteBuf in, HttpMessage m, Exception cause) {
    state = State.BAD;
    in.skipBytes(in.readableBytes());
    m.setDecoderResult(DecoderResult.failure(cause));
    return m;
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (state == State.FALLBACK) {
      int before = out.size();
      readFallback(ctx, in, out, true);
      handedOn(in, out, before);
      return;
    }
    super.decodeLast(ctx, in, out);
    if (state == State.UNTIL_CLOSE && !in.isReadable()) {
      out.add(LastHttpContent.EMPTY_LAST_CONTENT);
      ended();
      handedOn(in, out, out.size() - 1);
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    if (fallback != null) {
      fallback.release(ctx);
    }
  }
}
