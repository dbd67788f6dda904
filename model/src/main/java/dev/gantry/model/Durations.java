package dev.gantry.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gateway API durations: one to four number-unit pairs, units {@code h}, {@code m}, {@code s}, {@code ms},
 * for example {@code 500ms}, {@code 5s}, {@code 1m30s}, {@code 1h}.
 */
public final class Durations {

  private static final Pattern FORM = Pattern.compile("^([0-9]{1,5}(h|m|s|ms)){1,4}$");
  private static final long MAX_PART = 99_999;
  private static final Pattern PART = Pattern.compile("([0-9]{1,5})(ms|h|m|s)");

  private Durations() {
  }

  public static boolean isValid(String text) {
    return text != null && FORM.matcher(text).matches();
  }

  /** Parses a duration, or throws {@link IllegalArgumentException} saying what form was expected. */
  public static Duration parse(String text) {
    if (!isValid(text)) {
      throw new IllegalArgumentException("invalid duration \"" + text
          + "\": expected a Gateway API duration such as 500ms, 5s, 1m30s or 1h");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        case "s" -> Duration.ofSeconds(n);
        default -> Duration.ofMillis(n);
      });
    }
    return total;
  }

  /** Parses {@code text}, or {@code fallback} when text is null. */
  public static Duration parseOr(String text, String fallback) {
    return parse(text == null ? fallback : text);
  }

  /**
   * The shortest Gateway API form of a duration, for example {@code 1m30s}; below a millisecond is dropped.
   * Throws {@link IllegalArgumentException} for a negative duration or one of 100000 hours or more, which
   * the form cannot express.
   */
  public static String format(Duration d) {
    if (d.isNegative() || d.toHours() > MAX_PART) {
      throw new IllegalArgumentException("cannot format " + d + " as a Gateway API duration: expected 0 to "
          + MAX_PART + "h59m59s999ms");
    }
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long h = ms / 3_600_000;
    ms %= 3_600_000;
    long m = ms / 60_000;
    ms %= 60_000;
    long s = ms / 1000;
    ms %= 1000;
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (m > 0) {
      sb.append(m).append('m');
    }
    if (s > 0) {
      sb.append(s).append('s');
    }
    if (ms > 0) {
      sb.append(ms).append("ms");
    }
    return sb.toString();
  }
}
