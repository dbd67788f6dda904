package dev.gantry.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UsageTest {

  static final CommandSpec TOOL = new CommandSpec("tool", "tool 1", "Does one thing well.",
      List.of(OptionSpec.option("--count", "N", Converter.integer(), v -> { }, "How many (default ${DEFAULT-VALUE}).")
              .withDefault("3"),
          OptionSpec.option("--a-rather-long-option-name", "VALUE", Converter.string(), v -> { }, "Long."),
          OptionSpec.flag("--quiet", v -> { }, "Says nothing.")),
      List.of(new CommandSpec("sub", "tool 1", "A subcommand.", List.of(), List.of(), List.of(), () -> 0)),
      List.of(new CommandSpec.ExitCode(0, "fine"), new CommandSpec.ExitCode(2, "a bad command line")), () -> 0);

  @Test
  void theUsageTextListsEachOptionWithItsLabelAndDescriptionThenCommandsThenExitCodes() {
    assertThat(Usage.render(TOOL, "tool")).isEqualTo("""
        Usage: tool [-hV] [--count=N] [--a-rather-long-option-name=VALUE] [--quiet]
                    [COMMAND]
        Does one thing well.
              --count=N                 How many (default 3).
              --a-rather-long-option-name=VALUE
                                        Long.
              --quiet                   Says nothing.
          -h, --help                    Show this help message and exit.
          -V, --version                 Print version information and exit.
        Commands:
          sub  A subcommand.

        Exit codes:
          0   fine
          2   a bad command line
        """);
  }

  @Test
  void longTextIsWrappedAtSpacesUnderItsColumn() {
    String text = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen";
    assertThat(Usage.row("  --x", text, 20)).isEqualTo("""
          --x               one two three four five six seven eight nine ten eleven
                            twelve thirteen fourteen fifteen
        """);
  }

  @Test
  void aWordLongerThanALineGetsALineOfItsOwn() {
    String word = "x".repeat(90);
    assertThat(Usage.wrap("", "a " + word + " b", 2)).isEqualTo("a\n  " + word + "\n  b\n");
  }
}
