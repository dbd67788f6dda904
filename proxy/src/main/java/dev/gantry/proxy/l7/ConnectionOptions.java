package dev.gantry.proxy.l7;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.Iterator;

/**
 * The comma-separated options of the Connection header (RFC 9110 7.6.1), read where they lie: the options
 * nearly every message carries ({@code keep-alive}, {@code close}, {@code upgrade}) cost no copy. Options
 * are trimmed of spaces and control characters, as {@link String#trim} does, and compared ignoring the case
 * of ASCII letters.
 */
final class ConnectionOptions {

  private ConnectionOptions() {
  }

  /** A test of one option, {@code v[from, end)} once trimmed (empty when the list has an empty element). */
  @FunctionalInterface
  private interface OptionTest {
    boolean test(CharSequence v, int from, int end);
  }

  private static final OptionTest FRAMING_HEADER = (v, from, end) -> is(v, from, end, HttpHeaderNames.CONTENT_LENGTH)
      || is(v, from, end, HttpHeaderNames.TRANSFER_ENCODING) || is(v, from, end, HttpHeaderNames.HOST);

  private static final OptionTest OTHER_FIELD = (v, from, end) -> from < end
      && !is(v, from, end, HttpHeaderValues.CLOSE) && !is(v, from, end, HttpHeaderValues.KEEP_ALIVE)
      && !is(v, from, end, HttpHeaderValues.UPGRADE) && !is(v, from, end, HttpHeaderNames.TRANSFER_ENCODING);

  /**
   * Whether Connection names Content-Length, Transfer-Encoding or Host: removing them as RFC 9110 7.6.1 asks
   * would unframe the message on its way on.
   */
  static boolean namesFramingHeader(HttpHeaders h) {
    return anyOption(h, FRAMING_HEADER);
  }

  /**
   * Whether Connection names a field other than those hop-by-hop stripping keeps or removes anyway: only then
   * must its options be copied out to remove what they name. {@code close} and {@code keep-alive} are
   * options, not fields; Transfer-Encoding frames the message and stays; Upgrade is removed by name unless
   * kept.
   */
  static boolean namesOtherFields(HttpHeaders h) {
    return anyOption(h, OTHER_FIELD);
  }

  /** Whether any option of any Connection header passes {@code test}. */
  private static boolean anyOption(HttpHeaders h, OptionTest test) {
    if (!h.contains(HttpHeaderNames.CONNECTION)) {
      return false;
    }
    Iterator<? extends CharSequence> values = h.valueCharSequenceIterator(HttpHeaderNames.CONNECTION);
    while (values.hasNext()) {
      CharSequence v = values.next();
      int start = 0;
      while (start <= v.length()) {
        int comma = indexOfComma(v, start);
        int end = trimmedEnd(v, start, comma);
        if (test.test(v, trimmedStart(v, start, end), end)) {
          return true;
        }
        start = comma + 1;
      }
    }
    return false;
  }

  /** The index of the next comma from {@code start}, or the length of {@code v} when there is none. */
  private static int indexOfComma(CharSequence v, int start) {
    int i = start;
    while (i < v.length() && v.charAt(i) != ',') {
      i++;
    }
    return i;
  }

  private static int trimmedEnd(CharSequence v, int start, int end) {
    while (end > start && v.charAt(end - 1) <= ' ') {
      end--;
    }
    return end;
  }

  private static int trimmedStart(CharSequence v, int start, int end) {
    while (start < end && v.charAt(start) <= ' ') {
      start++;
    }
    return start;
  }

  /** Whether {@code v[from, end)} is {@code option} (lower case), ignoring the case of ASCII letters only. */
  private static boolean is(CharSequence v, int from, int end, AsciiString option) {
    if (end - from != option.length()) {
      return false;
    }
    for (int i = 0; i < option.length(); i++) {
      char c = v.charAt(from + i);
      if (c >= 'A' && c <= 'Z') {
        c += 'a' - 'A';
      }
      if (c != option.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
