package dev.gantry.proxy.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The text {@code --help} prints for a command: the usage line, the description, each option with the label
 * of its value and what it does, the subcommands, and the exit codes, wrapped to 80 columns.
 */
public final class Usage {

  static final int WIDTH = 80;
  /** Where option descriptions start; a longer option name puts its description on the next line. */
  static final int DESCRIPTION_COLUMN = 32;

  private Usage() {
  }

  /** The usage text of {@code command}, typed as {@code path} ({@code gantry-proxy demo}). */
  public static String render(CommandSpec command, String path) {
    StringBuilder out = new StringBuilder();
    out.append(usageLine(command, path));
    out.append(wrap("", command.description(), 0));
    List<String[]> rows = new ArrayList<>();
    for (OptionSpec<?> option : command.options()) {
      rows.add(new String[] {"      " + option.synopsis(), option.shownDescription()});
    }
    rows.add(new String[] {"  -h, --help", "Show this help message and exit."});
    rows.add(new String[] {"  -V, --version", "Print version information and exit."});
    rows.forEach(row -> out.append(row(row[0], row[1], DESCRIPTION_COLUMN)));
    if (!command.subcommands().isEmpty()) {
      out.append("Commands:\n");
      int column = 2 + command.subcommands().stream().mapToInt(c -> c.name().length()).max().orElse(0) + 2;
      command.subcommands().forEach(c -> out.append(row("  " + c.name(), c.description(), column)));
    }
    if (!command.exitCodes().isEmpty()) {
      out.append("\nExit codes:\n");
      command.exitCodes().forEach(e -> out.append(row("  " + e.code(), e.meaning(), 6)));
    }
    return out.toString();
  }

  /** {@code Usage: gantry-proxy [-hV] [--check] [--config=FILE] ... [COMMAND]}, wrapped under its first option. */
  static String usageLine(CommandSpec command, String path) {
    List<String> parts = new ArrayList<>();
    parts.add("[-hV]");
    for (OptionSpec<?> option : command.options()) {
      parts.add(option.required() ? option.synopsis() : "[" + option.synopsis() + "]");
    }
    if (!command.subcommands().isEmpty()) {
      parts.add("[COMMAND]");
    }
    String head = "Usage: " + path + " ";
    return wrap(head, String.join(" ", parts), Math.min(head.length(), WIDTH / 2));
  }

  /** {@code left}, then {@code text} from {@code column} on, continued lines indented to that column. */
  static String row(String left, String text, int column) {
    if (left.length() + 1 >= column) {
      return left + "\n" + wrap(" ".repeat(column), text, column);
    }
    return wrap(left + " ".repeat(column - left.length()), text, column);
  }

  /**
   * {@code prefix} as it is, then the words of {@code text} broken at spaces into lines of at most
   * {@link #WIDTH} columns (a longer word gets a line of its own), the lines after the first indented by
   * {@code indent}. Ends with a line break.
   */
  static String wrap(String prefix, String text, int indent) {
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder(prefix);
    boolean lineHasWord = false;
    for (String word : text.split(" ")) {
      if (word.isEmpty()) {
        continue;
      }
      if (lineHasWord && line.length() + 1 + word.length() > WIDTH) {
        out.append(line).append('\n');
        line.setLength(0);
        line.append(" ".repeat(indent));
        lineHasWord = false;
      }
      if (lineHasWord) {
        line.append(' ');
      }
      line.append(word);
      lineHasWord = true;
    }
    return out.append(line).append('\n').toString();
  }
}
