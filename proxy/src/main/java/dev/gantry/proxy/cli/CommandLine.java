package dev.gantry.proxy.cli;

import java.io.PrintStream;

/**
 * Runs a command line: parses the arguments, then prints the usage text or version (exit code 0), tells what
 * is wrong with them (exit code 2), or runs the command asked for and returns its exit code (1 if it throws).
 */
public final class CommandLine {

  public static final int EXIT_USAGE = 2;
  public static final int EXIT_FAILURE = 1;

  private final CommandSpec root;
  private final PrintStream out;
  private final PrintStream err;

  public CommandLine(CommandSpec root, PrintStream out, PrintStream err) {
    this.root = root;
    this.out = out;
    this.err = err;
  }

  public CommandLine(CommandSpec root) {
    this(root, System.out, System.err);
  }

  public int execute(String... args) {
    CommandLineParser.Parsed parsed;
    try {
      parsed = CommandLineParser.parse(root, args);
    } catch (UsageError e) {
      err.println(e.commandPath() + ": " + e.getMessage());
      err.println("Try '" + e.commandPath() + " --help' for more information.");
      return EXIT_USAGE;
    }
    switch (parsed.request()) {
      case HELP -> {
        out.print(Usage.render(parsed.command(), parsed.path()));
        out.flush();
        return 0;
      }
      case VERSION -> {
        out.println(root.version());
        out.flush();
        return 0;
      }
      default -> {
        return run(parsed.command());
      }
    }
  }

  private int run(CommandSpec command) {
    try {
      return command.action().call();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return EXIT_FAILURE;
    } catch (Exception e) {
      e.printStackTrace(err);
      return EXIT_FAILURE;
    }
  }
}
