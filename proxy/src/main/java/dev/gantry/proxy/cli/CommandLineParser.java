package dev.gantry.proxy.cli;

import java.util.HashSet;
import java.util.Set;

/**
 * Reads arguments against a {@link CommandSpec}: options as {@code --name value} or {@code --name=value},
 * flags as {@code --name}, a subcommand by its name (the options after it are its own), and the standard
 * {@code -h}/{@code --help} and {@code -V}/{@code --version}. Defaults are set first, then each value given,
 * through the options' setters. Anything else throws a {@link UsageError} naming the option or value.
 */
public final class CommandLineParser {

  /** What the arguments ask for. */
  public enum Request { RUN, HELP, VERSION }

  /** The outcome: what to do, and with which command ({@code path} as typed: {@code gantry-proxy demo}). */
  public record Parsed(Request request, CommandSpec command, String path) {
  }

  private CommandLineParser() {
  }

  public static Parsed parse(CommandSpec root, String... args) {
    CommandSpec command = root;
    String path = root.name();
    applyDefaults(command, path);
    Set<String> given = new HashSet<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      Request standard = standardRequest(arg);
      if (standard != null) {
        return new Parsed(standard, command, path);
      }
      if (arg.startsWith("--") && arg.length() > 2) {
        String name = optionName(arg);
        String typed = path;
        OptionSpec<?> option = command.option(name)
            .orElseThrow(() -> new UsageError(typed, "Unknown option: '" + name + "'"));
        if (!given.add(name)) {
          throw new UsageError(path, "option '" + option.synopsis() + "' should be specified only once");
        }
        if (name.length() < arg.length()) {
          option.apply(arg.substring(name.length() + 1), path);
        } else if (option.isFlag()) {
          option.apply("true", path);
        } else if (i + 1 < args.length && !isOption(command, args[i + 1])) {
          option.apply(args[++i], path);
        } else {
          throw new UsageError(path, "Missing required parameter for option '" + name + "' (" + option.label() + ")");
        }
        continue;
      }
      var subcommand = command.subcommand(arg);
      if (subcommand.isPresent()) {
        command = subcommand.get();
        path = path + " " + arg;
        applyDefaults(command, path);
        given.clear();
        continue;
      }
      throw new UsageError(path, arg.startsWith("-") && arg.length() > 1
          ? "Unknown option: '" + arg + "'" : "Unmatched argument at index " + i + ": '" + arg + "'");
    }
    checkRequired(command, path, given);
    return new Parsed(Request.RUN, command, path);
  }

  /**
   * Whether {@code arg} is one of the command's options (or a standard one) rather than a value: so that
   * {@code --admin-port -1} reads -1 as the port, and {@code --config --check} misses its file.
   */
  private static boolean isOption(CommandSpec command, String arg) {
    String name = optionName(arg);
    return command.option(name).isPresent() || standardRequest(name) != null;
  }

  /** HELP for {@code -h}/{@code --help}, VERSION for {@code -V}/{@code --version}, else null. */
  private static Request standardRequest(String arg) {
    return switch (arg) {
      case "-h", "--help" -> Request.HELP;
      case "-V", "--version" -> Request.VERSION;
      default -> null;
    };
  }

  /** The option's name in {@code --name=value}, or the whole argument. */
  private static String optionName(String arg) {
    int equals = arg.indexOf('=');
    return equals < 0 ? arg : arg.substring(0, equals);
  }

  private static void applyDefaults(CommandSpec command, String path) {
    for (OptionSpec<?> option : command.options()) {
      if (option.defaultValue() != null) {
        option.apply(option.defaultValue(), path);
      }
    }
  }

  private static void checkRequired(CommandSpec command, String path, Set<String> given) {
    for (OptionSpec<?> option : command.options()) {
      if (option.required() && option.defaultValue() == null && !given.contains(option.name())) {
        throw new UsageError(path, "Missing required option: '" + option.synopsis() + "'");
      }
    }
  }
}
