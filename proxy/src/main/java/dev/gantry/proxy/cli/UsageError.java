package dev.gantry.proxy.cli;

/** A command line that cannot be run as given: the user gets the message and a pointer to --help. */
public final class UsageError extends RuntimeException {

  private final String commandPath;

  public UsageError(String commandPath, String message) {
    super(message);
    this.commandPath = commandPath;
  }

  /** The command the arguments were for, as typed: {@code gantry-proxy demo}. */
  public String commandPath() {
    return commandPath;
  }
}
