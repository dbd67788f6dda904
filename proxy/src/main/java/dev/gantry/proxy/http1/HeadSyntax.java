package dev.gantry.proxy.http1;

/**
 * The grammar of RFC 9112 for a complete message head, checked on its raw bytes (copied out of the buffer
 * once) before anything decodes them. Netty's decoder accepts, and normalises away, several forms a strict
 * intermediary must refuse: line folding, runs of spaces or tabs in the request line, a lower-case version, a
 * fragment or control character in the target, a status code of four digits. Each check returns null when the
 * head is fine, else the refusal.
 */
public final class HeadSyntax {

  private static final int BAD_REQUEST = 400;
  private static final int VERSION_NOT_SUPPORTED = 505;
  /** A response the proxy refuses to relay: the client gets 502. */
  private static final int BAD_GATEWAY = 502;

  /** RFC 9110 5.6.2 tchar. */
  private static final boolean[] TCHAR = new boolean[256];

  static {
    for (int c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (int c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 32] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
  }

  private HeadSyntax() {
  }

  /**
   * A request head from its first byte (after any ignored empty lines) to the end of its blank line:
   * {@code method SP request-target SP HTTP/1.x CRLF}, then field lines.
   */
  public static RejectedHead request(byte[] b, int from, int to) {
    int p = from;
    int start = p;
    while (p < to && isMethodChar(b[p])) {
      p++;
    }
    if (p == start || b[p] != ' ') {
      return new RejectedHead(BAD_REQUEST, "method is not upper-case letters, '-' or '_' followed by one space");
    }
    start = ++p;
    while (p < to && isTargetChar(b[p])) {
      p++;
    }
    if (p == start || b[p] != ' ') {
      return new RejectedHead(BAD_REQUEST,
          "request target is not visible ASCII without '#' followed by one space");
    }
    p++;
    int version = version(b, p, to);
    if (version < 0 || !isCrlf(b, p + 8, to)) {
      return new RejectedHead(BAD_REQUEST, "version is not HTTP/<digit>.<digit> followed by CRLF");
    }
    if (version != 10 && version != 11) {
      return new RejectedHead(VERSION_NOT_SUPPORTED, "only HTTP/1.0 and HTTP/1.1 are spoken here");
    }
    String problem = fieldLines(b, p + 10, to);
    return problem == null ? null : new RejectedHead(BAD_REQUEST, problem);
  }

  /**
   * A response head: {@code HTTP/1.x SP 3DIGIT [SP reason] CRLF}, then field lines. The status code is
   * between 100 and 599; the reason phrase may be missing.
   */
  public static RejectedHead response(byte[] b, int from, int to) {
    int version = version(b, from, to);
    if (version != 10 && version != 11) {
      return new RejectedHead(BAD_GATEWAY, "status line does not start with HTTP/1.0 or HTTP/1.1");
    }
    int p = from + 8;
    if (b[p] != ' ' || p + 4 >= to || !isDigit(b[p + 1]) || !isDigit(b[p + 2])
        || !isDigit(b[p + 3]) || b[p + 1] < '1' || b[p + 1] > '5') {
      return new RejectedHead(BAD_GATEWAY, "status code is not three digits from 100 to 599");
    }
    p += 4;
    if (b[p] == ' ') {
      p++;
      while (p < to && isFieldValueChar(b[p])) {
        p++;
      }
    }
    if (!isCrlf(b, p, to)) {
      return new RejectedHead(BAD_GATEWAY, "status line has a character the grammar does not allow");
    }
    String problem = fieldLines(b, p + 2, to);
    return problem == null ? null : new RejectedHead(BAD_GATEWAY, problem);
  }

  /** {@code HTTP/d.d} at {@code p}, followed by SP or CRLF: 10 * major + minor; -1 when malformed. */
  private static int version(byte[] b, int p, int to) {
    if (p + 8 > to || b[p] != 'H' || b[p + 1] != 'T' || b[p + 2] != 'T'
        || b[p + 3] != 'P' || b[p + 4] != '/' || !isDigit(b[p + 5])
        || b[p + 6] != '.' || !isDigit(b[p + 7])) {
      return -1;
    }
    byte after = b[p + 8];
    if (after != ' ' && !isCrlf(b, p + 8, to)) {
      return -1;
    }
    return 10 * (b[p + 5] - '0') + (b[p + 7] - '0');
  }

  /**
   * Field lines from {@code p} to the blank line that ends the head: {@code token ":" OWS value OWS CRLF},
   * with no line starting with whitespace (obsolete folding, or whitespace before the first field), no
   * whitespace before the colon, no control character, CR or LF in a value. Returns the problem or null.
   */
  private static String fieldLines(byte[] b, int p, int to) {
    while (p < to) {
      if (isCrlf(b, p, to)) {
        return p + 2 == to ? null : "the head does not end at its blank line";
      }
      byte first = b[p];
      if (first == ' ' || first == '\t') {
        return "a field line starts with whitespace (obsolete line folding)";
      }
      int start = p;
      while (p < to && TCHAR[b[p] & 0xff]) {
        p++;
      }
      if (p == start) {
        return "a field line has no name";
      }
      if (p >= to || b[p] != ':') {
        return "a field name is not a token followed directly by ':'";
      }
      p++;
      while (p < to && isFieldValueChar(b[p])) {
        p++;
      }
      if (!isCrlf(b, p, to)) {
        return "a field value holds a control character, a bare CR or a bare LF";
      }
      p += 2;
    }
    return "the head has no blank line";
  }

  private static boolean isCrlf(byte[] b, int p, int to) {
    return p + 1 < to && b[p] == '\r' && b[p + 1] == '\n';
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  /** What nginx allows in a method: upper-case letters, '-' and '_'. */
  private static boolean isMethodChar(byte c) {
    return (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
  }

  /** Visible ASCII; '#' starts a fragment, which never belongs in a request (RFC 9112 3.2). */
  private static boolean isTargetChar(byte c) {
    return c > ' ' && c < 0x7f && c != '#';
  }

  /** RFC 9110 5.5: HTAB, SP, visible ASCII and obs-text. */
  private static boolean isFieldValueChar(byte c) {
    int u = c & 0xff;
    return u == '\t' || (u >= ' ' && u != 0x7f);
  }
}
