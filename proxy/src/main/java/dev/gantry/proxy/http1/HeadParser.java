package dev.gantry.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds the message of a head that {@link HeadSyntax} has already accepted: the grammar is known to hold, so
 * each part is found by its delimiter alone. The head is read from the per-thread array {@link #copy} copied
 * it into, where it was checked.
 * Names come out as {@link AsciiString} (a shared constant for the common ones), values as strings of the
 * bytes as they are (obs-text included), with the whitespace around them removed: the message Netty's
 * decoder makes of the same bytes. A response head the client can be sent as it is becomes a
 * {@link VerbatimResponse} instead, whose headers are built only if asked for, without its keep-alive fields.
 */
final class HeadParser {

  /** The bytes of an array read eight at a time, the first one lowest, as {@link #indexOf} looks at them. */
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /** Headers without Netty's check of each name and value: {@link HeadSyntax} checked the same bytes. */
  static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

  private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
    @Override
    protected byte[] initialValue() {
      return new byte[4096];
    }
  };

  private static final HttpMethod[] METHODS = {HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE,
      HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.PATCH, HttpMethod.TRACE, HttpMethod.CONNECT};
  private static final int CONTENT_LENGTH_SIZE = HttpHeaderNames.CONTENT_LENGTH.length();

  /** Field names heads usually carry, by length: shared instead of copied. */
  private static final AsciiString[][] KNOWN = known(HttpHeaderNames.HOST, HttpHeaderNames.ACCEPT,
      HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderNames.ACCEPT_LANGUAGE, HttpHeaderNames.ACCEPT_RANGES,
      HttpHeaderNames.CONNECTION, HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.CONTENT_LENGTH,
      HttpHeaderNames.COOKIE, HttpHeaderNames.DATE, HttpHeaderNames.ETAG, HttpHeaderNames.LAST_MODIFIED,
      HttpHeaderNames.SERVER, HttpHeaderNames.USER_AGENT, HttpHeaderNames.CACHE_CONTROL,
      HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.UPGRADE,
      HttpHeaderNames.VARY, HttpHeaderNames.LOCATION, HttpHeaderNames.SET_COOKIE,
      HttpHeaderNames.AUTHORIZATION, HttpHeaderNames.REFERER, HttpHeaderNames.ORIGIN,
      HttpHeaderNames.EXPECT, HttpHeaderNames.IF_NONE_MATCH, HttpHeaderNames.IF_MODIFIED_SINCE,
      HttpHeaderNames.CONTENT_ENCODING, HttpHeaderNames.UPGRADE_INSECURE_REQUESTS);

  private HeadParser() {
  }

  /**
   * A head as parsed: the message, the length of its first line, the sum of its field lines' lengths (line
   * ends not counted, as Netty's decoder counts them against its limits), how many of them are Content-Length
   * fields, and the body's length when the parser read it already (a head without Transfer-Encoding and with
   * one Content-Length of plain digits), else -1: the decoder reads it from the headers.
   */
  record Parsed<M>(M message, int firstLineBytes, int fieldBytes, int lengthFields, long contentLength) {

    Parsed(M message, int firstLineBytes, int fieldBytes, int lengthFields) {
      this(message, firstLineBytes, fieldBytes, lengthFields, -1);
    }
  }

  /** The request whose checked head is the first {@code length} bytes of {@code b}. */
  static Parsed<HttpRequest> request(byte[] b, int length) {
    int sp1 = indexOf(b, 0, ' ');
    int sp2 = indexOf(b, sp1 + 1, ' ');
    HttpMethod method = method(b, sp1);
    String uri = new String(b, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.ISO_8859_1);
    HttpVersion version = b[sp2 + 8] == '1' ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0;
    int fields = sp2 + 11;
    if (version == HttpVersion.HTTP_1_1 && b[sp1 + 1] == '/') {
      Parsed<HttpRequest> verbatim = RelayableHeads.request(b, fields, length, method, uri, fields - 2);
      if (verbatim != null) {
        return verbatim;
      }
    }
    HttpHeaders headers = HEADERS.newHeaders();
    int lengthFields = fieldLines(b, fields, length, headers);
    return new Parsed<>(new DefaultHttpRequest(version, method, uri, headers), fields - 2,
        fieldBytes(fields, length, headers), lengthFields);
  }

  /** The response whose checked head is the first {@code length} bytes of {@code b}. */
  static Parsed<HttpResponse> response(byte[] b, int length) {
    HttpVersion version = b[7] == '1' ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0;
    int code = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
    int eol = indexOf(b, 12, '\r');
    HttpResponseStatus status = status(b, code, eol);
    int fields = eol + 2;
    if (version == HttpVersion.HTTP_1_1 && code >= 200 && code != 204) {
      Parsed<HttpResponse> verbatim = RelayableHeads.response(b, fields, length, status, eol);
      if (verbatim != null) {
        return verbatim;
      }
    }
    HttpHeaders headers = HEADERS.newHeaders();
    int lengthFields = fieldLines(b, fields, length, headers);
    return new Parsed<>(new DefaultHttpResponse(version, status, headers),
        eol, fieldBytes(fields, length, headers), lengthFields);
  }

  /**
   * Field lines from {@code p} up to the blank line that ends the head at {@code end}, added to {@code headers};
   * returns how many of them are Content-Length fields.
   */
  static int fieldLines(byte[] b, int p, int end, HttpHeaders headers) {
    int last = end - 2;
    int lengthFields = 0;
    while (p < last) {
      int colon = indexOf(b, p, ':');
      AsciiString name = name(b, p, colon - p);
      if (name.length() == CONTENT_LENGTH_SIZE && name.contentEqualsIgnoreCase(HttpHeaderNames.CONTENT_LENGTH)) {
        lengthFields++;
      }
      int eol = indexOf(b, colon + 1, '\r');
      int from = valueStart(b, colon + 1, eol);
      int to = valueEnd(b, from, eol);
      headers.add(name, new String(b, from, to - from, StandardCharsets.ISO_8859_1));
      p = eol + 2;
    }
    return lengthFields;
  }

  /**
   * The sum of the lengths of the field lines from {@code fields} to the blank line that ends the head at
   * {@code end}, line ends not counted: each line became one of the {@code headers}.
   */
  private static int fieldBytes(int fields, int end, HttpHeaders headers) {
    return end - 2 - fields - 2 * headers.size();
  }

  /** The bytes at the reader index, in this thread's scratch array (grown when a head needs more). */
  static byte[] copy(ByteBuf in, int length) {
    byte[] b = SCRATCH.get();
    if (b.length < length) {
      b = new byte[Math.max(length, b.length * 2)];
      SCRATCH.set(b);
    }
    in.getBytes(in.readerIndex(), b, 0, length);
    return b;
  }

  /** The method the first {@code length} bytes name: a shared constant for the standard ones. */
  private static HttpMethod method(byte[] b, int length) {
    for (HttpMethod known : METHODS) {
      AsciiString name = known.asciiName();
      if (name.length() == length
          && Arrays.equals(b, 0, length, name.array(), name.arrayOffset(), name.arrayOffset() + length)) {
        return known;
      }
    }
    return HttpMethod.valueOf(new String(b, 0, length, StandardCharsets.ISO_8859_1));
  }

  /**
   * The status of {@code code} with the reason phrase from byte 13 to {@code eol} (trimmed, as
   * {@link String#trim} trims): Netty's shared constant when the phrase is its own.
   */
  private static HttpResponseStatus status(byte[] b, int code, int eol) {
    int from = Math.min(13, eol);
    int to = eol;
    while (from < to && (b[from] & 0xFF) <= ' ') {
      from++;
    }
    while (to > from && (b[to - 1] & 0xFF) <= ' ') {
      to--;
    }
    HttpResponseStatus known = HttpResponseStatus.valueOf(code);
    String phrase = known.reasonPhrase();
    if (phrase.length() == to - from) {
      int i = 0;
      while (i < to - from && phrase.charAt(i) == (b[from + i] & 0xFF)) {
        i++;
      }
      if (i == to - from) {
        return known;
      }
    }
    return HttpResponseStatus.valueOf(code, new String(b, from, to - from, StandardCharsets.ISO_8859_1));
  }

  private static AsciiString name(byte[] b, int start, int length) {
    if (length > 0 && length < KNOWN.length) {
      for (AsciiString known : KNOWN[length]) {
        byte[] k = known.array();
        // Cached names start at index 0. The last byte tells most names of one length apart.
        if (k[length - 1] == b[start + length - 1] && Arrays.equals(b, start, start + length, k, 0, length)) {
          return known;
        }
      }
    }
    return new AsciiString(b, start, length, true);
  }

  /** The names as heads usually spell them (Host, Content-Length), grouped by length. */
  private static AsciiString[][] known(AsciiString... lowerCase) {
    AsciiString[] spelt = new AsciiString[lowerCase.length];
    for (int i = 0; i < lowerCase.length; i++) {
      spelt[i] = AsciiString.cached(capitalised(lowerCase[i].toString()));
    }
    return byLength(spelt);
  }

  /** The names grouped by their length: entry n holds those of n bytes. */
  static AsciiString[][] byLength(AsciiString... names) {
    int longest = 0;
    for (AsciiString n : names) {
      longest = Math.max(longest, n.length());
    }
    AsciiString[][] byLength = new AsciiString[longest + 1][0];
    for (AsciiString n : names) {
      AsciiString[] group = Arrays.copyOf(byLength[n.length()], byLength[n.length()].length + 1);
      group[group.length - 1] = n;
      byLength[n.length()] = group;
    }
    return byLength;
  }

  private static String capitalised(String lowerCase) {
    StringBuilder s = new StringBuilder(lowerCase.length());
    boolean upper = true;
    for (char c : lowerCase.toCharArray()) {
      s.append(upper ? Character.toUpperCase(c) : c);
      upper = c == '-';
    }
    return s.toString().replace("Etag", "ETag");
  }

  /** Where a field value between {@code from} and {@code to} starts, past the blanks before it. */
  static int valueStart(byte[] b, int from, int to) {
    while (from < to && (b[from] == ' ' || b[from] == '\t')) {
      from++;
    }
    return from;
  }

  /** Where a field value from {@code from} up to {@code to} ends, before the blanks after it. */
  static int valueEnd(byte[] b, int from, int to) {
    while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t')) {
      to--;
    }
    return to;
  }

  /**
   * Where the first {@code c} at or after {@code from} is, which the caller knows is there (the gate checked the
   * head). Eight bytes are looked at a time while eight are left in the array: a byte equal to {@code c} is a
   * zero byte of the word XOR {@code c} in every byte, and the lowest one found is the first in the array.
   */
  static int indexOf(byte[] b, int from, char c) {
    long pattern = ONES * (c & 0xff);
    int i = from;
    for (int last = b.length - Long.BYTES; i <= last; i += Long.BYTES) {
      long x = (long) LONGS.get(b, i) ^ pattern;
      long zeros = (x - ONES) & ~x & HIGHS;
      if (zeros != 0) {
        return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
      }
    }
    while (b[i] != c) {
      i++;
    }
    return i;
  }
}
