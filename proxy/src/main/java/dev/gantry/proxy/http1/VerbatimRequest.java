package dev.gantry.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A client's HTTP/1.1 request head that the backend can be sent with its field lines as they arrived: an
 * origin-form target, exactly one Host, at most one Content-Length of plain digits, and none of the fields the
 * proxy removes, replaces or acts on (see {@link RelayableHeads#request}) but a {@code Connection: keep-alive}
 * and a {@code Keep-Alive}, whose lines are left out.
 *
 * <p>Its headers are built only when asked for. Until then it holds a copy of its field lines, the Host and the
 * body's length it read from them, and the field lines the proxy adds ({@link #append}); the backend-side
 * codec writes those bytes instead of encoding a header map. The first call to {@link #headers} builds the
 * headers from the same bytes, the lines left out excepted and the added lines included, so a head whose
 * headers anybody read or changed goes on like any other, with the same fields. The method, target and version
 * are the message's own and can change as in any request.
 */
public final class VerbatimRequest extends DefaultHttpRequest {

  private byte[] fields;
  /** Pairs of offsets in {@link #fields}, from and to, of the lines left out; null for none. */
  private final int[] cuts;
  private final String host;
  private final long contentLength;
  /** Field lines to add after the arrived ones, each ending in CRLF; null for none. */
  private byte[] added;
  private HttpHeaders headers;

  /**
   * @param fields the field lines as they arrived, each ending in CRLF, without the blank line
   * @param cuts pairs of offsets in {@code fields}, from and to, of the lines to leave out, in order; or null
   * @param host the Host field's value, without blanks around it
   * @param contentLength the body's length from the Content-Length field; 0 without one
   */
  VerbatimRequest(HttpMethod method, String uri, byte[] fields, int[] cuts, String host, long contentLength) {
    super(HttpVersion.HTTP_1_1, method, uri, EmptyHttpHeaders.INSTANCE);
    this.fields = fields;
    this.cuts = cuts;
    this.host = host;
    this.contentLength = contentLength;
  }

  /**
   * The request when its headers were never asked for, so that what the head held is still all it holds: its
   * field lines can go out as they arrived. Null for any other message, or once the headers were built.
   */
  public static VerbatimRequest untouched(Object msg) {
    return msg instanceof VerbatimRequest v && v.headers == null ? v : null;
  }

  /** The Host field's value. */
  public String host() {
    return host;
  }

  /** The body's length (0 without a Content-Length field); the head has no Transfer-Encoding. */
  public long contentLength() {
    return contentLength;
  }

  /**
   * Adds field lines after the arrived ones: {@code name: value} CRLF each, in the bytes they are to be written
   * in. Only before the headers are built; they are part of the headers built afterwards.
   *
   * @throws IllegalStateException when the headers were built already
   */
  public void append(byte[] lines) {
    if (headers != null) {
      throw new IllegalStateException("the headers of this request were built already");
    }
    added = added == null ? lines : concat(added, lines);
  }

  /** Writes the field lines to send: the arrived ones without those left out, then those added. */
  void writeFields(ByteBuf buf) {
    int from = 0;
    if (cuts != null) {
      for (int i = 0; i < cuts.length; i += 2) {
        buf.writeBytes(fields, from, cuts[i] - from);
        from = cuts[i + 1];
      }
    }
    buf.writeBytes(fields, from, fields.length - from);
    if (added != null) {
      buf.writeBytes(added);
    }
  }

  /** The headers, built from the field lines the first time they are asked for. */
  @Override
  public HttpHeaders headers() {
    if (headers == null) {
      HttpHeaders built = HeadParser.HEADERS.newHeaders();
      int from = 0;
      if (cuts != null) {
        for (int i = 0; i < cuts.length; i += 2) {
          HeadParser.fieldLines(fields, from, cuts[i] + 2, built);
          from = cuts[i + 1];
        }
      }
      HeadParser.fieldLines(fields, from, fields.length + 2, built);
      if (added != null) {
        HeadParser.fieldLines(added, 0, added.length + 2, built);
      }
      fields = null;
      added = null;
      headers = built;
    }
    return headers;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
