package dev.gantry.charts;

import dev.gantry.operator.Main;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;

/** The operator's own command line parses the arguments the chart passes: a renamed flag fails here. */
final class OperatorFlags {

  private OperatorFlags() {
  }

  /** Flag to value, for the flags given on the command line (not those left to their defaults). */
  static Map<String, String> parse(List<String> args) {
    CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
    Map<String, String> values = new TreeMap<>();
    for (CommandLine.Model.OptionSpec option : parsed.matchedOptions()) {
      values.put(option.longestName(), String.join(",", option.stringValues()));
    }
    return values;
  }
}
