package dev.gantry.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Collects the problems of one document while the rules walk it, with the checks every section shares.
 * Messages are lowercase, short, and say what was expected and what was found.
 */
final class Problems {

  private static final int MAX_QUOTED = 80;

  private final List<Problem> problems = new ArrayList<>();

  void add(String path, String message) {
    problems.add(new Problem(path, message));
  }

  List<Problem> list() {
    return List.copyOf(problems);
  }

  /** Adds "required" when value is null; returns whether it is present. */
  boolean required(String path, Object value) {
    if (value == null) {
      add(path, "required");
      return false;
    }
    return true;
  }

  /** Checks an optional integer against an inclusive range, naming what it is: "a port", "a weight". */
  void range(String path, Integer value, int min, int max, String what) {
    if (value != null && (value < min || value > max)) {
      add(path, "expected " + what + " from " + min + " to " + max + ", got " + value);
    }
  }

  /** Checks an optional integer that has only a lower bound. */
  void atLeast(String path, Integer value, int min) {
    if (value != null && value < min) {
      add(path, "expected " + min + " or more, got " + value);
    }
  }

  /** Adds "expected what, got an empty entry" for a null list item; returns whether it is present. */
  boolean entry(String path, Object item, String what) {
    if (item == null) {
      add(path, "expected " + what + ", got an empty entry");
      return false;
    }
    return true;
  }

  /** Checks the size of an optional list of at most max entries. */
  void atMost(String path, List<?> list, int max, String noun) {
    int size = list == null ? 0 : list.size();
    if (size > max) {
      add(path, "at most " + max + " " + noun + "s, got " + size);
    }
  }

  /** Checks the size of a list that must have between one and max entries. */
  void size(String path, List<?> list, int max, String noun) {
    int size = list == null ? 0 : list.size();
    if (size == 0) {
      add(path, "at least one " + noun + " is required");
    } else if (size > max) {
      add(path, "at most " + max + " " + noun + "s, got " + size);
    }
  }

  /** Checks an optional Gateway API duration that must be greater than zero. */
  void duration(String path, String value) {
    if (value == null) {
      return;
    }
    if (!Durations.isValid(value)) {
      add(path, "expected a duration such as 500ms, 5s, 1m30s or 1h, got " + quote(value));
    } else if (Durations.parse(value).isZero()) {
      add(path, "expected a duration greater than 0, got " + quote(value));
    }
  }

  /** Checks an optional duration where {@code 0s} is allowed and means "no limit" (as in Gateway API). */
  void durationOrZero(String path, String value) {
    if (value != null && !Durations.isValid(value)) {
      add(path, "expected a duration such as 500ms, 5s, 1m30s or 1h (0s for none), got " + quote(value));
    }
  }

  /** Checks a required name that must be a DNS-1123 label, as Kubernetes object and port names are. */
  boolean label(String path, String value) {
    if (!required(path, value)) {
      return false;
    }
    if (!Names.isDnsLabel(value)) {
      add(path, "expected a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters), got "
          + quote(value));
      return false;
    }
    return true;
  }

  /** Reports values that appear twice in a list, naming where the first one is. */
  <T> void unique(String listPath, List<T> items, Function<T, ?> value, String field, String what) {
    unique(listPath, items, value, field, what, Function.identity());
  }

  /** Like {@link #unique(String, List, Function, String, String)}, comparing values after {@code key}. */
  <T> void unique(String listPath, List<T> items, Function<T, ?> value, String field, String what,
      Function<String, String> key) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      Object v = items.get(i) == null ? null : value.apply(items.get(i));
      if (v == null) {
        continue;
      }
      Integer first = seen.putIfAbsent(key.apply(v.toString()), i);
      if (first != null) {
        String firstPath = FieldPath.field(FieldPath.index(listPath, first), field);
        add(FieldPath.field(FieldPath.index(listPath, i), field), "duplicate " + what + " "
            + (v instanceof String s ? quote(s) : v) + ", also " + firstPath);
      }
    }
  }

  /** A value as it appears in a message: quoted, control characters escaped, long values cut. */
  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder("\"");
    int end = Math.min(value.length(), MAX_QUOTED);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append(value.length() > MAX_QUOTED ? "...\"" : "\"").toString();
  }
}
