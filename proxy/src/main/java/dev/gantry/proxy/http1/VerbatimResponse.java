package dev.gantry.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.ReferenceCounted;

/**
 * A backend's response head that the client can be sent byte for byte: a final HTTP/1.1 status other than 204,
 * one Content-Length of plain digits, and none of the fields the proxy removes or acts on (Proxy-Connection, TE,
 * Trailer, Upgrade, Proxy-Authenticate, Proxy-Authorization, Transfer-Encoding) but a {@code Connection:
 * keep-alive} and a {@code Keep-Alive}, whose lines are left out (the client's connection stays open anyway).
 *
 * <p>Its headers are built only when asked for. Until then it holds the head's bytes as they arrived (a slice
 * of the buffer they were read into), and {@link ServerCodec} writes those instead of encoding the head again.
 * The first call to {@link #headers} builds the headers from the bytes, without the lines left out, and gives
 * the slice up: a head whose headers anybody read or changed is encoded like any other, with the same fields.
 * (A head that failed before its bytes were held has no fields.) Releasing the message releases the slice.
 */
public final class VerbatimResponse extends DefaultHttpResponse implements ReferenceCounted {

  private final int fieldsStart;
  /** Pairs of offsets, from and to, of the lines left out when the head is relayed; null for none. */
  private final int[] cuts;
  private HttpHeaders headers;
  private ByteBuf raw;
  /** The length of the body that follows the head, as the decoder framed it. */
  private long bodyLength;
  /** Whether {@link #raw} was ever held: once it is gone, the headers can no longer be built. */
  private boolean held;
  /** References to this message: while there are any, it holds one reference to {@link #raw}. */
  private int count;

  /**
   * @param fieldsStart where the field lines start in the head
   * @param cuts pairs of offsets in the head, from and to, of the lines to leave out (the proxy's hop-by-hop
   *     fields it need not act on: a {@code Connection: keep-alive} and a {@code Keep-Alive}), in order; or null
   */
  VerbatimResponse(HttpResponseStatus status, int fieldsStart, int[] cuts) {
    super(HttpVersion.HTTP_1_1, status, EmptyHttpHeaders.INSTANCE);
    this.fieldsStart = fieldsStart;
    this.cuts = cuts;
  }

  /**
   * Takes the head's bytes as they arrived: the slice the decoder read them from, retained for this message.
   *
   * @param bodyLength the length of the body that follows the head (0 for a response to HEAD)
   */
  void hold(ByteBuf bytes, long bodyLength) {
    raw = bytes;
    this.bodyLength = bodyLength;
    held = true;
    count = 1;
  }

  /** Whether nobody has asked for the headers: the head can still go out as it arrived. */
  public boolean untouched() {
    return headers == null && raw != null;
  }

  /** The length of the body that follows the head. */
  long bodyLength() {
    return bodyLength;
  }

  /** The number of bytes the head is relayed as: those it arrived as but for the lines it leaves out. */
  int relayedLength() {
    int length = raw.readableBytes();
    if (cuts != null) {
      for (int i = 0; i < cuts.length; i += 2) {
        length -= cuts[i + 1] - cuts[i];
      }
    }
    return length;
  }

  /**
   * Writes the head as it arrived, but for the lines it leaves out, and gives the bytes up: this message then
   * holds nothing.
   */
  void writeRaw(ChannelHandlerContext ctx, ChannelPromise promise) {
    ByteBuf bytes = giveUp();
    if (cuts == null) {
      ctx.write(bytes, promise);
      return;
    }
    int from = 0;
    for (int i = 0; i < cuts.length; i += 2) {
      if (cuts[i] > from) {
        ctx.write(bytes.retainedSlice(from, cuts[i] - from), ctx.voidPromise());
      }
      from = cuts[i + 1];
    }
    // The blank line that ends the head is never left out: the last piece is never empty.
    ctx.write(bytes.retainedSlice(from, bytes.readableBytes() - from), promise);
    bytes.release();
  }

  /** Copies the head as it is relayed to {@code out} and gives the bytes up: this message then holds nothing. */
  void copyRaw(ByteBuf out) {
    ByteBuf bytes = giveUp();
    int from = 0;
    if (cuts != null) {
      for (int i = 0; i < cuts.length; i += 2) {
        out.writeBytes(bytes, from, cuts[i] - from);
        from = cuts[i + 1];
      }
    }
    out.writeBytes(bytes, from, bytes.readableBytes() - from);
    bytes.release();
  }

  private ByteBuf giveUp() {
    ByteBuf bytes = raw;
    raw = null;
    count = 0;
    return bytes;
  }

  /**
   * The headers, built from the bytes the first time they are asked for, which are then given up.
   *
   * @throws IllegalReferenceCountException when the bytes were relayed or released before anybody asked
   */
  @Override
  public HttpHeaders headers() {
    if (headers == null) {
      if (held && raw == null) {
        throw new IllegalReferenceCountException(0);
      }
      HttpHeaders built = HeadParser.HEADERS.newHeaders();
      if (raw != null) {
        byte[] head = ByteBufUtil.getBytes(raw);
        int from = fieldsStart;
        if (cuts != null) {
          for (int i = 0; i < cuts.length; i += 2) {
            HeadParser.fieldLines(head, from, cuts[i] + 2, built);
            from = cuts[i + 1];
          }
        }
        HeadParser.fieldLines(head, from, head.length, built);
        raw.release();
        raw = null;
      }
      headers = built;
    }
    return headers;
  }

  @Override
  public int refCnt() {
    return raw == null ? 0 : count;
  }

  @Override
  public VerbatimResponse retain() {
    return retain(1);
  }

  @Override
  public VerbatimResponse retain(int increment) {
    if (raw != null) {
      count += increment;
    }
    return this;
  }

  @Override
  public VerbatimResponse touch() {
    return this;
  }

  @Override
  public VerbatimResponse touch(Object hint) {
    return this;
  }

  @Override
  public boolean release() {
    return release(1);
  }

  @Override
  public boolean release(int decrement) {
    if (raw == null || decrement <= 0) {
      return false;
    }
    count -= decrement;
    if (count > 0) {
      return false;
    }
    raw.release();
    raw = null;
    return true;
  }
}
