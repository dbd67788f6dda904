package dev.gantry.proxy.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Turns an option's text into its value, or throws {@link IllegalArgumentException} saying what was expected
 * (the parser adds the option's name).
 */
@FunctionalInterface
public interface Converter<T> {

  T convert(String text);

  static Converter<String> string() {
    return text -> text;
  }

  static Converter<Integer> integer() {
    return text -> {
      try {
        return Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not an int");
      }
    };
  }

  static Converter<Path> path() {
    return text -> {
      try {
        return Path.of(text);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException("'" + text + "' is not a path: " + e.getReason());
      }
    };
  }

  /** {@code true} or {@code false}, in any case: the value a flag may be given as {@code --flag=true}. */
  static Converter<Boolean> bool() {
    return text -> switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("'" + text + "' is not a boolean (true or false)");
    };
  }

  /** A constant of {@code type}, its name in any case. */
  static <E extends Enum<E>> Converter<E> caseInsensitive(Class<E> type) {
    return text -> {
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equalsIgnoreCase(text)) {
          return constant;
        }
      }
      String names = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
          .collect(Collectors.joining(", "));
      throw new IllegalArgumentException("expected one of [" + names + "] (case-insensitive) but was '" + text + "'");
    };
  }
}
