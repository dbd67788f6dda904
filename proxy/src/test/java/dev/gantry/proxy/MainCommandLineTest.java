package dev.gantry.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.admin.AccessLogFormat;
import dev.gantry.proxy.cli.CommandLine;
import dev.gantry.proxy.cli.CommandLineParser;
import dev.gantry.proxy.cli.CommandSpec;
import dev.gantry.proxy.cli.OptionSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The proxy's own command table: the options users and the operator's Deployments pass, and --help. */
class MainCommandLineTest {

  static final List<String> RUNTIME_OPTIONS = List.of("--admin-port=PORT", "--admin-address=ADDR",
      "--bind-address=ADDR", "--threads=N", "--transport=KIND", "--max-connections=N", "--shutdown-delay=DURATION",
      "--drain-timeout=DURATION", "--access-log=DEST", "--access-log-format=FORMAT");

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int execute(String... args) {
    return new CommandLine(new Main().command(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
  }

  String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theRuntimeOptionsHaveTheirDocumentedDefaults() {
    Main main = new Main();
    CommandLineParser.parse(main.command());
    Main.RuntimeOptions runtime = main.runtime;
    assertThat(runtime.proxyOptions()).isEqualTo(new ProxyOptions("0.0.0.0", "0.0.0.0", 8404, 0, "auto", 0));
    assertThat(runtime.shutdownDelay).isEqualTo(Duration.ZERO);
    assertThat(runtime.drainTimeout).isEqualTo(Duration.ofSeconds(20));
    assertThat(runtime.accessLog).isEqualTo("stdout");
    assertThat(runtime.accessLogFormat).isEqualTo(AccessLogFormat.HAPROXY);
    assertThat(main.checkOnly).isFalse();
    assertThat(main.config).isNull();
  }

  @Test
  void everyOptionReachesItsField() {
    Main main = new Main();
    CommandLineParser.parse(main.command(), "--config", "lb.yaml", "--check", "--admin-port=-1",
        "--admin-address", "127.0.0.1", "--bind-address=10.0.0.1", "--threads", "2", "--transport=nio",
        "--max-connections", "500", "--shutdown-delay=5s", "--drain-timeout", "1m30s", "--access-log", "off",
        "--access-log-format=Json");
    Main.RuntimeOptions runtime = main.runtime;
    assertThat(main.config).isEqualTo(Path.of("lb.yaml"));
    assertThat(main.checkOnly).isTrue();
    assertThat(runtime.proxyOptions()).isEqualTo(new ProxyOptions("10.0.0.1", "127.0.0.1", -1, 2, "nio", 500));
    assertThat(runtime.shutdownDelay).isEqualTo(Duration.ofSeconds(5));
    assertThat(runtime.drainTimeout).isEqualTo(Duration.ofSeconds(90));
    assertThat(runtime.accessLog).isEqualTo("off");
    assertThat(runtime.accessLogFormat).isEqualTo(AccessLogFormat.JSON);
  }

  @Test
  void aBadDurationExits2NamingTheOptionAndTheValue() {
    assertThat(execute("--config", "lb.yaml", "--drain-timeout", "soon")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("gantry-proxy: Invalid value for option '--drain-timeout': invalid duration \"soon\"")
        .contains("Try 'gantry-proxy --help' for more information.");
  }

  @Test
  void helpListsEveryOptionOfTheTopCommandItsSubcommandsAndTheExitCodes() {
    assertThat(execute("--help")).isZero();
    assertThat(stdout()).startsWith("Usage: gantry-proxy [-hV] [--config=FILE] [--check] [--admin-port=PORT]")
        .contains("--config=FILE", "--check", "LoadBalancer YAML (or JSON) documents to serve.")
        .contains(RUNTIME_OPTIONS).contains("-h, --help", "-V, --version")
        .contains("Commands:\n  demo     Starts two demo backends", "\n  cluster  Serves one LoadBalancer")
        .contains("Exit codes:\n  0   stopped normally, or --check found no problem\n"
            + "  1   a runtime failure, such as a port that cannot be bound\n"
            + "  2   the configuration is invalid, or the command line is\n");
    assertEveryOptionShown(new Main().command(), stdout());
  }

  @Test
  void demoHelpListsTheRuntimeOptions() {
    assertThat(execute("demo", "-h")).isZero();
    assertThat(stdout()).startsWith("Usage: gantry-proxy demo [-hV] [--admin-port=PORT]")
        .contains("Starts two demo backends").contains(RUNTIME_OPTIONS).doesNotContain("--config");
    assertEveryOptionShown(new Main().command().subcommand("demo").orElseThrow(), stdout());
  }

  @Test
  void clusterHelpListsItsOwnOptionsThenTheRuntimeOptions() {
    assertThat(execute("cluster", "--help")).isZero();
    assertThat(stdout()).startsWith("Usage: gantry-proxy cluster [-hV]")
        .contains("--namespace=NS", "--name=NAME", "--config-map=NAME", "--secret=NAME")
        .contains("Namespace of the load balancer (default", "$POD_NAMESPACE).").contains(RUNTIME_OPTIONS);
    assertEveryOptionShown(new Main().command().subcommand("cluster").orElseThrow(), stdout());
  }

  @Test
  void versionOnEveryCommand() {
    for (String[] args : List.of(new String[] {"--version"}, new String[] {"-V"}, new String[] {"demo", "-V"},
        new String[] {"cluster", "--version"})) {
      out.reset();
      assertThat(execute(args)).isZero();
      assertThat(stdout()).isEqualTo("gantry-proxy 0.1.0\n");
    }
  }

  @Test
  void clusterWithoutItsLoadBalancerIsAUsageError() {
    assertThat(execute("cluster", "--namespace", "web", "--name", "shop", "--secret", "shop-tls")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("gantry-proxy cluster: Missing required option: '--config-map=NAME'")
        .contains("Try 'gantry-proxy cluster --help'");
  }

  /** Each option's name and label, and the first words of its description, are in the usage text. */
  static void assertEveryOptionShown(CommandSpec command, String usage) {
    for (OptionSpec<?> option : command.options()) {
      String firstWords = String.join(" ", List.of(option.shownDescription().split(" ")).subList(0, 3));
      assertThat(usage).contains("      " + option.synopsis()).contains(firstWords);
    }
  }
}
