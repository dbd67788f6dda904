package dev.gantry.proxy.l7;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The hostile and borderline HTTP/1.1 requests of docs/http1-strictness.md, each with the answer Gantry gives.
 * The same bytes are kept, one file per case, in bench/differential/cases/ for comparing Gantry with HAProxy
 * and nginx; {@code DifferentialCorpusTest} keeps the two in step.
 *
 * @param name the row of the table and the corpus file name
 * @param status the first final status the client gets
 * @param forwarded how many complete requests the backend receives
 */
record StrictnessCases(String name, String request, int status, int forwarded) {

  private static final String H = "Host: h\r\n";
  /** A request that must never reach the backend when it rides in the body of a refused one. */
  static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n";

  byte[] bytes() {
    return request.getBytes(StandardCharsets.ISO_8859_1);
  }

  static StrictnessCases refused(String name, String request, int status) {
    return new StrictnessCases(name, request, status, 0);
  }

  static StrictnessCases passed(String name, String request) {
    return new StrictnessCases(name, request, 200, 1);
  }

  static final List<StrictnessCases> ALL = List.of(
      // Request line (RFC 9112 2.2, 3).
      passed("baseline", "GET / HTTP/1.1\r\n" + H + "\r\n"),
      passed("leading-empty-line", "\r\nGET / HTTP/1.1\r\n" + H + "\r\n"),
      refused("leading-space", " GET / HTTP/1.1\r\n" + H + "\r\n", 400),
      refused("leading-control-char", "\u0001GET / HTTP/1.1\r\n" + H + "\r\n", 400),
      refused("method-lowercase", "get / HTTP/1.1\r\n" + H + "\r\n", 400),
      refused("method-invalid-char", "G(T / HTTP/1.1\r\n" + H + "\r\n", 400),
      refused("request-line-double-space", "GET  / HTTP/1.1\r\n" + H + "\r\n", 400),
      refused("request-line-tab", "GET\t/\tHTTP/1.1\r\n" + H + "\r\n", 400),
      refused("request-line-trailing-space", "GET / HTTP/1.1 \r\n" + H + "\r\n", 400),
      refused("request-line-bare-lf", "GET / HTTP/1.1\n" + "Host: h\n\n", 400),
      refused("request-line-bare-cr", "GET / HTTP/1.1\rHost: h\r\n\r\n", 400),
      refused("version-lowercase", "GET / http/1.1\r\n" + H + "\r\n", 400),
      refused("version-leading-zero", "GET / HTTP/01.1\r\n" + H + "\r\n", 400),
      refused("version-missing", "GET /\r\n\r\n", 400),
      refused("version-2-0", "GET / HTTP/2.0\r\n" + H + "\r\n", 505),
      refused("version-1-2", "GET / HTTP/1.2\r\n" + H + "\r\n", 505),
      refused("target-space", "GET /a b HTTP/1.1\r\n" + H + "\r\n", 400),
      refused("target-control-char", "GET /a\u0001b HTTP/1.1\r\n" + H + "\r\n", 400),
      refused("target-del", "GET /a\u007fb HTTP/1.1\r\n" + H + "\r\n", 400),
      refused("target-non-ascii", "GET /caf\u00e9 HTTP/1.1\r\n" + H + "\r\n", 400),
      refused("target-fragment", "GET /a#b HTTP/1.1\r\n" + H + "\r\n", 400),
      refused("target-relative", "GET a/b HTTP/1.1\r\n" + H + "\r\n", 400),
      refused("target-asterisk-options", "OPTIONS * HTTP/1.1\r\n" + H + "\r\n", 400),
      refused("target-asterisk-get", "GET * HTTP/1.1\r\n" + H + "\r\n", 400),
      refused("target-authority-connect", "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n", 501),
      passed("target-absolute", "GET http://h/x HTTP/1.1\r\n" + H + "\r\n"),
      refused("target-absolute-host-mismatch", "GET http://a/x HTTP/1.1\r\nHost: b\r\n\r\n", 400),
      refused("target-absolute-userinfo", "GET http://u@h/x HTTP/1.1\r\n" + H + "\r\n", 400),
      refused("target-absolute-other-scheme", "GET ftp://h/x HTTP/1.1\r\n" + H + "\r\n", 400),
      refused("target-absolute-empty-host", "GET http:///x HTTP/1.1\r\n" + H + "\r\n", 400),
      refused("request-line-too-long", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\n" + H + "\r\n", 414),
      refused("method-trace", "TRACE / HTTP/1.1\r\n" + H + "\r\n", 405),

      // Host (RFC 9112 3.2, RFC 9110 7.2).
      refused("host-missing", "GET / HTTP/1.1\r\n\r\n", 400),
      passed("host-missing-http10", "GET / HTTP/1.0\r\n\r\n"),
      refused("host-repeated", "GET / HTTP/1.1\r\nHost: h\r\nHost: h\r\n\r\n", 400),
      refused("host-repeated-http10", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400),
      refused("host-empty", "GET / HTTP/1.1\r\nHost: \r\n\r\n", 400),
      refused("host-with-space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
      refused("host-with-path", "GET / HTTP/1.1\r\nHost: h/x\r\n\r\n", 400),
      refused("host-with-userinfo", "GET / HTTP/1.1\r\nHost: u@h\r\n\r\n", 400),
      refused("host-bad-port", "GET / HTTP/1.1\r\nHost: h:8o\r\n\r\n", 400),
      refused("host-list", "GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", 400),
      passed("host-ipv6-literal", "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"),

      // Field lines (RFC 9112 5, RFC 9110 5).
      refused("field-space-before-colon", "GET / HTTP/1.1\r\n" + H + "X-A : 1\r\n\r\n", 400),
      refused("field-tab-before-colon", "GET / HTTP/1.1\r\n" + H + "X-A\t: 1\r\n\r\n", 400),
      refused("field-name-invalid-char", "GET / HTTP/1.1\r\n" + H + "X(A: 1\r\n\r\n", 400),
      refused("field-name-non-ascii", "GET / HTTP/1.1\r\n" + H + "X-\u00e9: 1\r\n\r\n", 400),
      refused("field-name-empty", "GET / HTTP/1.1\r\n" + H + ": 1\r\n\r\n", 400),
      refused("field-no-colon", "GET / HTTP/1.1\r\n" + H + "X-A\r\n\r\n", 400),
      refused("field-obs-fold", "GET / HTTP/1.1\r\n" + H + "X-A: 1\r\n 2\r\n\r\n", 400),
      refused("field-obs-fold-tab", "GET / HTTP/1.1\r\n" + H + "X-A: 1\r\n\t2\r\n\r\n", 400),
      refused("field-whitespace-before-first", "GET / HTTP/1.1\r\n " + H + "\r\n", 400),
      refused("field-value-bare-cr", "GET / HTTP/1.1\r\n" + H + "X-A: 1\r2\r\n\r\n", 400),
      refused("field-value-bare-lf", "GET / HTTP/1.1\r\n" + H + "X-A: 1\n2\r\n\r\n", 400),
      refused("field-value-nul", "GET / HTTP/1.1\r\n" + H + "X-A: 1\u00002\r\n\r\n", 400),
      refused("field-value-control-char", "GET / HTTP/1.1\r\n" + H + "X-A: 1\u00012\r\n\r\n", 400),
      refused("field-value-del", "GET / HTTP/1.1\r\n" + H + "X-A: 1\u007f2\r\n\r\n", 400),
      passed("field-value-obs-text", "GET / HTTP/1.1\r\n" + H + "X-A: caf\u00e9\r\n\r\n"),
      refused("fields-too-large", "GET / HTTP/1.1\r\n" + H + "X-Big: " + "a".repeat(40_000) + "\r\n\r\n", 431),

      // Content-Length (RFC 9112 6.2, 6.3; RFC 9110 8.6).
      passed("cl-valid", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\n\r\nhello"),
      passed("cl-leading-zeros", "POST / HTTP/1.1\r\n" + H + "Content-Length: 005\r\n\r\nhello"),
      refused("cl-repeated-same", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
          400),
      refused("cl-repeated-different",
          "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nContent-Length: 40\r\n\r\nhello" + SMUGGLED, 400),
      refused("cl-list", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5, 5\r\n\r\nhello", 400),
      refused("cl-plus-sign", "POST / HTTP/1.1\r\n" + H + "Content-Length: +5\r\n\r\nhello", 400),
      refused("cl-minus-sign", "POST / HTTP/1.1\r\n" + H + "Content-Length: -5\r\n\r\nhello", 400),
      refused("cl-hex", "POST / HTTP/1.1\r\n" + H + "Content-Length: 0x5\r\n\r\nhello", 400),
      refused("cl-space-inside", "POST / HTTP/1.1\r\n" + H + "Content-Length: 1 0\r\n\r\nhello", 400),
      refused("cl-empty", "POST / HTTP/1.1\r\n" + H + "Content-Length: \r\n\r\nhello", 400),
      refused("cl-overflow", "POST / HTTP/1.1\r\n" + H + "Content-Length: 18446744073709551621\r\n\r\nhello", 400),
      refused("cl-space-before-colon", "POST / HTTP/1.1\r\n" + H + "Content-Length : 5\r\n\r\nhello", 400),
      refused("cl-and-te", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "0\r\n\r\n" + SMUGGLED, 400),
      refused("te-and-cl", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n"
          + "0\r\n\r\n" + SMUGGLED, 400),

      // Transfer-Encoding (RFC 9112 6.1, 6.3, 7).
      passed("te-chunked", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
      passed("te-chunked-uppercase",
          "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: CHUNKED\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
      refused("te-unknown", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: foo\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400),
      refused("te-identity", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: identity\r\n\r\nhello", 400),
      refused("te-gzip-chunked",
          "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 501),
      refused("te-chunked-gzip",
          "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400),
      refused("te-chunked-twice", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, chunked\r\n\r\n"
          + "5\r\nhello\r\n0\r\n\r\n", 400),
      refused("te-repeated", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"
          + "\r\n5\r\nhello\r\n0\r\n\r\n", 400),
      refused("te-trailing-comma",
          "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked,\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 501),
      refused("te-http10", "POST / HTTP/1.0\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
          400),
      refused("te-space-before-colon",
          "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding : chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400),
      refused("te-vertical-tab",
          "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: \u000bchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400),
      refused("te-obs-fold",
          "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding:\r\n chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400),
      refused("te-empty", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: \r\n\r\n", 400),

      // Chunks, extensions and trailers (RFC 9112 7.1).
      passed("chunk-size-leading-zeros",
          "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n005\r\nhello\r\n0\r\n\r\n"),
      refused("chunk-size-hex-prefix",
          "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n", 400),
      refused("chunk-size-negative",
          "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n", 400),
      refused("chunk-size-overflow", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
          + "10000000000000005\r\nhello\r\n0\r\n\r\n", 400),
      refused("chunk-size-empty",
          "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n\r\nhello\r\n0\r\n\r\n", 400),
      refused("chunk-size-trailing-space",
          "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n", 400),
      refused("chunk-size-bare-lf",
          "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", 400),
      passed("chunk-extension",
          "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0;c=\"d\"\r\n\r\n"),
      refused("chunk-extension-bare-lf",
          "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5;a\nb\r\nhello\r\n0\r\n\r\n", 400),
      refused("chunk-extension-control-char",
          "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5;a\u0001\r\nhello\r\n0\r\n\r\n", 400),
      refused("chunk-data-too-long", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello!\r\n0\r\n\r\n", 400),
      refused("chunk-data-bare-lf",
          "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n", 400),
      refused("chunk-last-without-blank-line", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
          + "0\r\n" + SMUGGLED, 400),
      passed("trailer-field", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n0\r\nX-Checksum: 1\r\n\r\n"),
      refused("trailer-invalid-name", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n0\r\nX Y: 1\r\n\r\n", 400),

      // Expect, Connection and hop-by-hop fields (RFC 9110 7.6.1, 7.8, 10.1.1).
      passed("expect-100-continue",
          "POST / HTTP/1.1\r\n" + H + "Expect: 100-continue\r\nContent-Length: 5\r\n\r\nhello"),
      passed("expect-100-continue-http10",
          "POST / HTTP/1.0\r\n" + H + "Expect: 100-continue\r\nContent-Length: 5\r\n\r\nhello"),
      refused("expect-unknown", "GET / HTTP/1.1\r\n" + H + "Expect: teapot\r\n\r\n", 417),
      refused("connection-names-content-length", "POST / HTTP/1.1\r\n" + H
          + "Connection: content-length\r\nContent-Length: 40\r\n\r\n" + SMUGGLED + "xxxxx", 400),
      refused("connection-names-host", "GET / HTTP/1.1\r\n" + H + "Connection: host\r\n\r\n", 400),
      passed("connection-names-custom-field",
          "GET / HTTP/1.1\r\n" + H + "Connection: x-hop\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\n\r\n"),
      refused("upgrade-http10", "GET / HTTP/1.0\r\n" + H + "Connection: upgrade\r\nUpgrade: websocket\r\n\r\n", 400),

      // Several requests in one packet.
      new StrictnessCases("pipelined", "GET /1 HTTP/1.1\r\n" + H + "\r\nGET /2 HTTP/1.1\r\n" + H + "\r\n", 200, 2),
      refused("pipelined-after-bad-request", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n" + SMUGGLED, 400));
}
