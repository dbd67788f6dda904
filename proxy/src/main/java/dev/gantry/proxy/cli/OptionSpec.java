package dev.gantry.proxy.cli;

import java.util.function.Consumer;

/**
 * One option of a command: its {@code name} ({@code --threads}), the {@code label} of its value in the usage
 * text ({@code N}; null for a flag, which takes no value), what it does, the text of its default (converted
 * like any value given, before the arguments are read; null: none), whether it must be given, and how its
 * text becomes a value and where that value goes.
 *
 * <p>A {@code ${DEFAULT-VALUE}} in the description stands for the default.
 */
public record OptionSpec<T>(String name, String label, String description, String defaultValue, boolean required,
    Converter<T> converter, Consumer<? super T> setter) {

  private static final String DEFAULT_PLACEHOLDER = "${DEFAULT-VALUE}";

  public OptionSpec {
    if (!name.startsWith("--")) {
      throw new IllegalArgumentException("an option's name starts with --: " + name);
    }
  }

  /** An option that takes a value. */
  public static <T> OptionSpec<T> option(String name, String label, Converter<T> converter,
      Consumer<? super T> setter, String description) {
    return new OptionSpec<>(name, label, description, null, false, converter, setter);
  }

  /** An option without a value: given, it is true. */
  public static OptionSpec<Boolean> flag(String name, Consumer<? super Boolean> setter, String description) {
    return new OptionSpec<>(name, null, description, null, false, Converter.bool(), setter);
  }

  public OptionSpec<T> withDefault(String text) {
    return new OptionSpec<>(name, label, description, text, required, converter, setter);
  }

  public OptionSpec<T> mandatory() {
    return new OptionSpec<>(name, label, description, defaultValue, true, converter, setter);
  }

  public boolean isFlag() {
    return label == null;
  }

  /** Converts {@code text} and hands the value to the setter; a bad value throws a {@link UsageError}. */
  void apply(String text, String commandPath) {
    T value;
    try {
      value = converter.convert(text);
    } catch (IllegalArgumentException e) {
      throw new UsageError(commandPath, "Invalid value for option '" + name + "': " + e.getMessage());
    }
    setter.accept(value);
  }

  /** The description as the usage text shows it, its default filled in. */
  public String shownDescription() {
    return description.replace(DEFAULT_PLACEHOLDER, String.valueOf(defaultValue));
  }

  /** How the usage line and the option list show it: {@code --threads=N}, or {@code --check}. */
  public String synopsis() {
    return isFlag() ? name : name + "=" + label;
  }
}
