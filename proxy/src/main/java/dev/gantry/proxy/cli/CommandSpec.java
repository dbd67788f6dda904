package dev.gantry.proxy.cli;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A command: its name, version line, description, options (in the order the usage text lists them),
 * subcommands, the exit codes its usage text lists (code to meaning), and what running it does, returning
 * its exit code. Every command also understands {@code -h}/{@code --help} and {@code -V}/{@code --version}.
 */
public record CommandSpec(String name, String version, String description, List<OptionSpec<?>> options,
    List<CommandSpec> subcommands, List<ExitCode> exitCodes, Callable<Integer> action) {

  /** One line of the usage text's "Exit codes:" list. */
  public record ExitCode(int code, String meaning) {
  }

  public CommandSpec {
    options = List.copyOf(options);
    subcommands = List.copyOf(subcommands);
    exitCodes = List.copyOf(exitCodes);
  }

  public Optional<OptionSpec<?>> option(String optionName) {
    return options.stream().filter(o -> o.name().equals(optionName)).findFirst();
  }

  public Optional<CommandSpec> subcommand(String commandName) {
    return subcommands.stream().filter(c -> c.name().equals(commandName)).findFirst();
  }
}
