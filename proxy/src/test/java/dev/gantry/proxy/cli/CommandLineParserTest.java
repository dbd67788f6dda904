package dev.gantry.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.proxy.cli.CommandLineParser.Parsed;
import dev.gantry.proxy.cli.CommandLineParser.Request;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser on a command of the tests' own: a top command with options and flags, and one subcommand. */
class CommandLineParserTest {

  enum Colour { RED, DARK_BLUE }

  /** Where the options' setters put their values. */
  static final class Values {
    Path file;
    int count;
    Colour colour;
    boolean dryRun;
    String target;
    int subCount;
    String ran;
  }

  final Values values = new Values();

  CommandSpec command() {
    CommandSpec sub = new CommandSpec("sub", "tool 1.2", "The subcommand.",
        List.of(OptionSpec.option("--target", "NAME", Converter.string(), v -> values.target = v, "Target.")
                .mandatory(),
            OptionSpec.option("--count", "N", Converter.integer(), v -> values.subCount = v, "Its own count.")
                .withDefault("7")),
        List.of(), List.of(), () -> {
          values.ran = "sub";
          return 5;
        });
    return new CommandSpec("tool", "tool 1.2", "The top command.",
        List.of(OptionSpec.option("--file", "FILE", Converter.path(), v -> values.file = v, "A file."),
            OptionSpec.option("--count", "N", Converter.integer(), v -> values.count = v,
                "How many (default ${DEFAULT-VALUE}).").withDefault("3"),
            OptionSpec.option("--colour", "COLOUR", Converter.caseInsensitive(Colour.class),
                v -> values.colour = v, "A colour.").withDefault("red"),
            OptionSpec.flag("--dry-run", v -> values.dryRun = v, "Do nothing.")),
        List.of(sub), List.of(), () -> {
          values.ran = "tool";
          return 0;
        });
  }

  Parsed parse(String... args) {
    return CommandLineParser.parse(command(), args);
  }

  @Test
  void defaultsAreSetWhenNothingIsGiven() {
    Parsed parsed = parse();
    assertThat(parsed.request()).isEqualTo(Request.RUN);
    assertThat(parsed.command().name()).isEqualTo("tool");
    assertThat(values.count).isEqualTo(3);
    assertThat(values.colour).isEqualTo(Colour.RED);
    assertThat(values.dryRun).isFalse();
    assertThat(values.file).isNull();
  }

  @Test
  void aValueFollowsItsOptionEitherAfterASpaceOrAfterEquals() {
    parse("--count", "12", "--file=/etc/lb.yaml");
    assertThat(values.count).isEqualTo(12);
    assertThat(values.file).isEqualTo(Path.of("/etc/lb.yaml"));
    parse("--count=13", "--file", "a b.yaml");
    assertThat(values.count).isEqualTo(13);
    assertThat(values.file).isEqualTo(Path.of("a b.yaml"));
  }

  @Test
  void aNegativeNumberIsAValueNotAnOption() {
    parse("--count", "-1");
    assertThat(values.count).isEqualTo(-1);
  }

  @Test
  void aFlagNeedsNoValue() {
    parse("--dry-run");
    assertThat(values.dryRun).isTrue();
  }

  @Test
  void anOptionWithoutItsValueNamesTheOptionAndItsLabel() {
    assertThatThrownBy(() -> parse("--count"))
        .isInstanceOf(UsageError.class).hasMessage("Missing required parameter for option '--count' (N)");
    assertThatThrownBy(() -> parse("--file", "--dry-run"))
        .isInstanceOf(UsageError.class).hasMessage("Missing required parameter for option '--file' (FILE)");
  }

  @Test
  void anUnknownOptionIsNamed() {
    assertThatThrownBy(() -> parse("--colour", "red", "--colr=blue"))
        .isInstanceOf(UsageError.class).hasMessage("Unknown option: '--colr'");
    assertThatThrownBy(() -> parse("-x")).isInstanceOf(UsageError.class).hasMessage("Unknown option: '-x'");
    assertThatThrownBy(() -> parse("stray")).isInstanceOf(UsageError.class)
        .hasMessage("Unmatched argument at index 0: 'stray'");
  }

  @Test
  void aBadIntNamesTheOptionAndTheValue() {
    assertThatThrownBy(() -> parse("--count", "twelve")).isInstanceOf(UsageError.class)
        .hasMessage("Invalid value for option '--count': 'twelve' is not an int");
  }

  @Test
  void aBadEnumNamesTheOptionTheValueAndTheChoices() {
    assertThatThrownBy(() -> parse("--colour=green")).isInstanceOf(UsageError.class)
        .hasMessage("Invalid value for option '--colour': expected one of [red, dark_blue] (case-insensitive) "
            + "but was 'green'");
  }

  @Test
  void enumValuesAreCaseInsensitive() {
    parse("--colour", "Dark_Blue");
    assertThat(values.colour).isEqualTo(Colour.DARK_BLUE);
    parse("--colour=RED");
    assertThat(values.colour).isEqualTo(Colour.RED);
  }

  @Test
  void anOptionGivenTwiceIsRefused() {
    assertThatThrownBy(() -> parse("--count", "1", "--count=2")).isInstanceOf(UsageError.class)
        .hasMessage("option '--count=N' should be specified only once");
    assertThatThrownBy(() -> parse("--dry-run", "--dry-run")).isInstanceOf(UsageError.class)
        .hasMessage("option '--dry-run' should be specified only once");
  }

  @Test
  void aSubcommandTakesTheOptionsAfterItsName() {
    Parsed parsed = parse("--count", "4", "sub", "--target", "db", "--count=9");
    assertThat(parsed.command().name()).isEqualTo("sub");
    assertThat(parsed.path()).isEqualTo("tool sub");
    assertThat(values.count).as("the top command's").isEqualTo(4);
    assertThat(values.subCount).isEqualTo(9);
    assertThat(values.target).isEqualTo("db");
    assertThatThrownBy(() -> parse("sub", "--target", "db", "--dry-run"))
        .as("a top-command option after the subcommand").isInstanceOf(UsageError.class)
        .hasMessage("Unknown option: '--dry-run'");
  }

  @Test
  void aSubcommandsRequiredOptionMustBeGivenAndItsDefaultsAreSet() {
    assertThatThrownBy(() -> parse("sub")).isInstanceOf(UsageError.class)
        .hasMessage("Missing required option: '--target=NAME'")
        .extracting(e -> ((UsageError) e).commandPath()).isEqualTo("tool sub");
    parse("sub", "--target=x");
    assertThat(values.subCount).isEqualTo(7);
  }

  @Test
  void helpAndVersionAreAskedForOnEveryCommand() {
    assertThat(parse("--count", "1", "--help").request()).isEqualTo(Request.HELP);
    assertThat(parse("-h").request()).isEqualTo(Request.HELP);
    assertThat(parse("sub", "-h").command().name()).isEqualTo("sub");
    assertThat(parse("sub", "--help").request()).isEqualTo(Request.HELP);
    assertThat(parse("--version").request()).isEqualTo(Request.VERSION);
    assertThat(parse("sub", "-V").request()).isEqualTo(Request.VERSION);
  }

  // Through CommandLine: what the user sees, and the exit code.

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int execute(String... args) {
    return new CommandLine(command(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
  }

  @Test
  void aBadCommandLineExits2WithTheProblemAndAPointerToHelp() {
    assertThat(execute("sub", "--nope")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("tool sub: Unknown option: '--nope'\n"
        + "Try 'tool sub --help' for more information.\n");
    assertThat(out.size()).isZero();
    assertThat(values.ran).as("nothing runs").isNull();
  }

  @Test
  void theCommandAskedForRunsAndItsExitCodeIsReturned() {
    assertThat(execute("sub", "--target", "x")).isEqualTo(5);
    assertThat(values.ran).isEqualTo("sub");
  }

  @Test
  void aCommandThatThrowsExits1WithItsStackTrace() {
    CommandSpec failing = new CommandSpec("tool", "tool 1.2", "Fails.", List.of(), List.of(), List.of(), () -> {
      throw new IllegalStateException("broken");
    });
    int code = new CommandLine(failing, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).execute();
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("IllegalStateException: broken");
  }

  @Test
  void versionPrintsTheVersionLineAndRunsNothing() {
    assertThat(execute("-V")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("tool 1.2\n");
    assertThat(values.ran).isNull();
  }

  @Test
  void helpPrintsTheCommandsUsageAndRunsNothing() {
    assertThat(execute("sub", "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: tool sub [-hV] --target=NAME [--count=N]\n"
        + "The subcommand.\n").contains("--target=NAME").contains("Its own count.");
    assertThat(values.ran).isNull();
  }
}
