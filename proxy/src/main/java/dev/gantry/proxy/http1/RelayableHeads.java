package dev.gantry.proxy.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Tells the heads that can be relayed as they arrived from the ones the proxy must write itself, from the names
 * of their fields alone (and the values of the few it reads): responses become a {@link VerbatimResponse},
 * requests a {@link VerbatimRequest}.
 */
final class RelayableHeads {

  private static final int CONTENT_LENGTH_SIZE = HttpHeaderNames.CONTENT_LENGTH.length();

  /**
   * The fields a response cannot be relayed byte for byte with, by the length of their names: those the proxy
   * removes as hop-by-hop (but Connection and Keep-Alive, whose lines can be left out), and Transfer-Encoding.
   */
  private static final AsciiString[] HOP_BY_HOP_ACTED_ON = {AsciiString.cached("proxy-connection"),
      HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHORIZATION,
      HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.TRANSFER_ENCODING};
  private static final AsciiString[][] NOT_RELAYED = HeadParser.byLength(HOP_BY_HOP_ACTED_ON);
  /**
   * The fields a request cannot be relayed with: those of {@link #NOT_RELAYED}, the ones the proxy replaces with
   * its own (the forwarding fields, X-Forwarded-Client-Cert) and those that ask something of it (Expect, an h2c
   * upgrade's HTTP2-Settings).
   */
  private static final AsciiString[][] REQUEST_NOT_RELAYED = HeadParser.byLength(Stream.concat(
      Arrays.stream(HOP_BY_HOP_ACTED_ON), Stream.of(HttpHeaderNames.EXPECT, AsciiString.cached("x-forwarded-for"),
          AsciiString.cached("x-forwarded-proto"), AsciiString.cached("x-forwarded-host"),
          AsciiString.cached("x-forwarded-port"), AsciiString.cached("forwarded"),
          AsciiString.cached("x-forwarded-client-cert"), AsciiString.cached("http2-settings")))
      .toArray(AsciiString[]::new));
  private static final int HOST_SIZE = HttpHeaderNames.HOST.length();
  private static final int CONTENT_TYPE_SIZE = HttpHeaderNames.CONTENT_TYPE.length();
  private static final AsciiString GRPC = AsciiString.cached("application/grpc");
  private static final int CONNECTION_SIZE = HttpHeaderNames.CONNECTION.length();
  private static final int KEEP_ALIVE_SIZE = HttpHeaderNames.KEEP_ALIVE.length();
  /** What {@link #keepAliveCut} answers for a head that cannot be relayed. */
  private static final int[] REFUSED = new int[0];
  /** Lines a relayed head may leave out: a Connection: keep-alive and a Keep-Alive, once each. */
  private static final int MOST_CUTS = 2;

  private RelayableHeads() {
  }

  /**
   * The response of a final HTTP/1.1 head as a {@link VerbatimResponse}, its headers left unbuilt, when its
   * field lines hold one Content-Length of 1 to 18 digits and none of the fields the proxy removes or acts on
   * but a {@code Connection: keep-alive} and a {@code Keep-Alive}, whose lines are to be left out; else null.
   */
  static HeadParser.Parsed<HttpResponse> response(byte[] b, int fields, int end, HttpResponseStatus status,
      int firstLineBytes) {
    int last = end - 2;
    int lines = 0;
    long contentLength = -1;
    int[] cuts = null;
    int p = fields;
    while (p < last) {
      int colon = HeadParser.indexOf(b, p, ':');
      int eol = HeadParser.indexOf(b, colon + 1, '\r');
      int n = colon - p;
      if (n == CONTENT_LENGTH_SIZE && lowerCaseIs(b, p, HttpHeaderNames.CONTENT_LENGTH)) {
        if (contentLength >= 0) {
          return null;
        }
        contentLength = digits(b, colon + 1, eol);
        if (contentLength < 0) {
          return null;
        }
      } else if (n < NOT_RELAYED.length && isAnyOf(b, p, NOT_RELAYED[n])) {
        return null;
      } else {
        cuts = keepAliveCut(b, p, colon, eol, 0, cuts);
        if (cuts == REFUSED) {
          return null;
        }
      }
      lines++;
      p = eol + 2;
    }
    if (contentLength < 0) {
      return null;
    }
    VerbatimResponse response = new VerbatimResponse(status, fields, cuts);
    return new HeadParser.Parsed<>(response, firstLineBytes, last - fields - 2 * lines, 1, contentLength);
  }

  /**
   * The request of an HTTP/1.1 head with an origin-form target as a {@link VerbatimRequest}, its headers left
   * unbuilt, when its field lines hold exactly one Host, at most one Content-Length of 1 to 18 digits, no gRPC
   * Content-Type and none of the fields of {@link #REQUEST_NOT_RELAYED} but a {@code Connection: keep-alive} and a
   * {@code Keep-Alive}, whose lines are to be left out; else null.
   */
  static HeadParser.Parsed<HttpRequest> request(byte[] b, int fields, int end, HttpMethod method, String uri,
      int firstLineBytes) {
    int last = end - 2;
    int lines = 0;
    long contentLength = -1;
    String host = null;
    int[] cuts = null;
    int p = fields;
    while (p < last) {
      int colon = HeadParser.indexOf(b, p, ':');
      int eol = HeadParser.indexOf(b, colon + 1, '\r');
      int n = colon - p;
      if (n == HOST_SIZE && lowerCaseIs(b, p, HttpHeaderNames.HOST)) {
        if (host != null) {
          return null;
        }
        int from = HeadParser.valueStart(b, colon + 1, eol);
        host = new String(b, from, HeadParser.valueEnd(b, from, eol) - from, StandardCharsets.ISO_8859_1);
      } else if (n == CONTENT_LENGTH_SIZE && lowerCaseIs(b, p, HttpHeaderNames.CONTENT_LENGTH)) {
        if (contentLength >= 0) {
          return null;
        }
        contentLength = digits(b, colon + 1, eol);
        if (contentLength < 0) {
          return null;
        }
      } else if (n == CONTENT_TYPE_SIZE && lowerCaseIs(b, p, HttpHeaderNames.CONTENT_TYPE)) {
        int from = HeadParser.valueStart(b, colon + 1, eol);
        if (eol - from >= GRPC.length() && lowerCaseIs(b, from, GRPC)) {
          return null;
        }
      } else if (n < REQUEST_NOT_RELAYED.length && isAnyOf(b, p, REQUEST_NOT_RELAYED[n])) {
        return null;
      } else {
        cuts = keepAliveCut(b, p, colon, eol, fields, cuts);
        if (cuts == REFUSED) {
          return null;
        }
      }
      lines++;
      p = eol + 2;
    }
    if (host == null) {
      return null;
    }
    VerbatimRequest request = new VerbatimRequest(method, uri, Arrays.copyOfRange(b, fields, last), cuts, host,
        Math.max(contentLength, 0));
    return new HeadParser.Parsed<>(request, firstLineBytes, last - fields - 2 * lines, contentLength < 0 ? 0 : 1,
        Math.max(contentLength, 0));
  }

  /**
   * The cuts after the line from {@code p} to {@code eol}: with it added (offsets counted from {@code base}) when
   * it is a {@code Connection: keep-alive} or a Keep-Alive, {@link #REFUSED} when it is another Connection or one
   * cut too many, the same cuts for any other field.
   */
  private static int[] keepAliveCut(byte[] b, int p, int colon, int eol, int base, int[] cuts) {
    int n = colon - p;
    boolean cutOut = n == KEEP_ALIVE_SIZE && lowerCaseIs(b, p, HttpHeaderNames.KEEP_ALIVE);
    if (n == CONNECTION_SIZE && lowerCaseIs(b, p, HttpHeaderNames.CONNECTION)) {
      if (!isKeepAlive(b, colon + 1, eol)) {
        return REFUSED;
      }
      cutOut = true;
    }
    if (!cutOut) {
      return cuts;
    }
    int[] more = cut(cuts, p - base, eol + 2 - base);
    return more == null ? REFUSED : more;
  }

  /** The cuts with the line from {@code from} to {@code to} added, or null when there are too many. */
  private static int[] cut(int[] cuts, int from, int to) {
    int[] more = cuts == null ? new int[2] : Arrays.copyOf(cuts, cuts.length + 2);
    if (more.length > 2 * MOST_CUTS) {
      return null;
    }
    more[more.length - 2] = from;
    more[more.length - 1] = to;
    return more;
  }

  /** Whether the value from {@code from} to {@code to} is {@code keep-alive}, in any case, between blanks. */
  private static boolean isKeepAlive(byte[] b, int from, int to) {
    from = HeadParser.valueStart(b, from, to);
    to = HeadParser.valueEnd(b, from, to);
    return to - from == HttpHeaderValues.KEEP_ALIVE.length() && lowerCaseIs(b, from, HttpHeaderValues.KEEP_ALIVE);
  }

  /** The number of 1 to 18 decimal digits between optional blanks from {@code from} to {@code to}, else -1. */
  private static long digits(byte[] b, int from, int to) {
    from = HeadParser.valueStart(b, from, to);
    to = HeadParser.valueEnd(b, from, to);
    if (to == from || to - from > 18) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static boolean isAnyOf(byte[] b, int start, AsciiString[] lowerCaseNames) {
    for (AsciiString name : lowerCaseNames) {
      if (lowerCaseIs(b, start, name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the bytes at {@code start}, as many as {@code lowerCase} has, are it in any case. What is compared
   * is made of lower-case letters, digits, hyphens and a slash: a byte matches when it is the same letter in
   * either case or the same other byte (the only other bytes that would, CR and control bytes, are never inside
   * a checked name or value).
   */
  private static boolean lowerCaseIs(byte[] b, int start, AsciiString lowerCase) {
    byte[] name = lowerCase.array();
    for (int i = 0; i < name.length; i++) {
      if ((b[start + i] | 0x20) != name[i]) {
        return false;
      }
    }
    return true;
  }
}
