package dev.gantry.proxy;

import dev.gantry.model.Durations;
import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.admin.AccessLogFormat;
import dev.gantry.proxy.cli.CommandLine;
import dev.gantry.proxy.cli.CommandSpec;
import dev.gantry.proxy.cli.CommandSpec.ExitCode;
import dev.gantry.proxy.cli.Converter;
import dev.gantry.proxy.cli.OptionSpec;
import dev.gantry.proxy.cluster.ClusterCommand;
import dev.gantry.proxy.config.FileConfigSource;
import dev.gantry.proxy.demo.DemoCommand;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code gantry-proxy}: serves the LoadBalancer documents of a YAML file, the way HAProxy serves its config. */
public final class Main {

  public static final String VERSION = "gantry-proxy 0.1.0";
  static final int EXIT_RUNTIME = 1;
  static final int EXIT_INVALID = 2;

  Path config;
  boolean checkOnly;
  RuntimeOptions runtime = new RuntimeOptions();

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    Logs.flush();
    System.exit(code);
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main().command());
  }

  CommandSpec command() {
    List<OptionSpec<?>> options = new ArrayList<>();
    options.add(OptionSpec.option("--config", "FILE", Converter.path(), v -> config = v,
        "LoadBalancer YAML (or JSON) documents to serve."));
    options.add(OptionSpec.flag("--check", v -> checkOnly = v,
        "Check the configuration, print its problems, and exit."));
    options.addAll(runtime.options());
    return new CommandSpec("gantry-proxy", VERSION,
        "Serves the LoadBalancer documents of a YAML file: HTTP and HTTPS routing by host and path, "
            + "TCP and TLS (SNI) passthrough, "
            + "reloaded when the file changes or on SIGHUP.",
        options, List.of(new DemoCommand().command(), new ClusterCommand().command()),
        List.of(new ExitCode(0, "stopped normally, or --check found no problem"),
            new ExitCode(1, "a runtime failure, such as a port that cannot be bound"),
            new ExitCode(2, "the configuration is invalid, or the command line is")),
        this::call);
  }

  Integer call() throws Exception {
    if (config == null) {
      System.err.println("gantry-proxy: --config FILE is required (or run `gantry-proxy demo`); see --help");
      return EXIT_INVALID;
    }
    if (!Files.isReadable(config)) {
      System.err.println(config + ": cannot read the file");
      return EXIT_INVALID;
    }
    if (checkOnly) {
      return Check.run(config);
    }
    if (runtime.maxConnections < 0) {
      System.err.println("gantry-proxy: --max-connections must be 0 (automatic) or more, not " + runtime.maxConnections);
      return EXIT_INVALID;
    }
    GracefulStop stop = GracefulStop.install(runtime);
    GantryProxy proxy;
    try {
      proxy = stop.serving(GantryProxy.start(runtime.proxyOptions(), runtime.accessLog()));
    } catch (dev.gantry.proxy.pipeline.ListenerBindException e) {
      stop.cancel();
      System.err.println("gantry-proxy: " + e.getMessage());
      return 1;
    } catch (InterruptedException | RuntimeException e) {
      stop.cancel();
      throw e;
    }
    FileConfigSource source = stop.closeFirst(new FileConfigSource(config, proxy));
    List<String> problems = source.loadInitial();
    if (!problems.isEmpty()) {
      problems.forEach(System.err::println);
      if (stop.cancel()) {
        proxy.close();
      }
      return problems.stream().anyMatch(p -> p.contains("cannot listen on")) ? EXIT_RUNTIME : EXIT_INVALID;
    }
    source.startWatching();
    return stop.awaitStop();
  }

  /** Options shared by the main command and the demo. */
  public static final class RuntimeOptions {
    int adminPort;
    String adminAddress;
    String bindAddress;
    int threads;
    String transport;
    int maxConnections;
    Duration shutdownDelay;
    Duration drainTimeout;
    String accessLog;
    AccessLogFormat accessLogFormat;

    /** The options' table, in the order the usage text lists them; each sets a field of this instance. */
    public List<OptionSpec<?>> options() {
      return List.of(
          OptionSpec.option("--admin-port", "PORT", Converter.integer(), v -> adminPort = v,
              "Admin port for /healthz, /readyz and /metrics (default ${DEFAULT-VALUE}; 0 = any free "
                  + "port, -1 = off).").withDefault("8404"),
          OptionSpec.option("--admin-address", "ADDR", Converter.string(), v -> adminAddress = v,
              "Address of the admin port (default ${DEFAULT-VALUE}).").withDefault("0.0.0.0"),
          OptionSpec.option("--bind-address", "ADDR", Converter.string(), v -> bindAddress = v,
              "Address every listener binds to (default ${DEFAULT-VALUE}).").withDefault("0.0.0.0"),
          OptionSpec.option("--threads", "N", Converter.integer(), v -> threads = v,
              "Event loop threads (default 0 = one per CPU).").withDefault("0"),
          OptionSpec.option("--transport", "KIND", Converter.string(), v -> transport = v,
              "Socket transport: auto, epoll or nio (default ${DEFAULT-VALUE}).").withDefault("auto"),
          OptionSpec.option("--max-connections", "N", Converter.integer(), v -> maxConnections = v,
              "Most client connections open at once, over every listener; beyond it new connections "
                  + "wait in the kernel's accept backlog until some close (default 0 = half the open-file limit, "
                  + "less 100).").withDefault("0"),
          OptionSpec.option("--shutdown-delay", "DURATION", Durations::parse, v -> shutdownDelay = v,
              "On SIGTERM, how long to go on serving, reporting not ready, before the listeners close; "
                  + "in Kubernetes, the time it takes to withdraw a terminating pod's endpoints "
                  + "(default ${DEFAULT-VALUE}).").withDefault("0s"),
          OptionSpec.option("--drain-timeout", "DURATION", Durations::parse, v -> drainTimeout = v,
              "Then, how long open connections get to finish their exchange before they are closed "
                  + "(default ${DEFAULT-VALUE}).").withDefault("20s"),
          OptionSpec.option("--access-log", "DEST", Converter.string(), v -> accessLog = v,
              "Where access-log lines go: stdout, off, or a file path (default ${DEFAULT-VALUE}).")
              .withDefault("stdout"),
          OptionSpec.option("--access-log-format", "FORMAT", Converter.caseInsensitive(AccessLogFormat.class),
              v -> accessLogFormat = v, "Access-log layout: haproxy or json (default ${DEFAULT-VALUE}).")
              .withDefault("haproxy"));
    }

    public ProxyOptions proxyOptions() {
      return new ProxyOptions(bindAddress, adminAddress, adminPort, threads, transport, maxConnections);
    }

    public AccessLog accessLog() {
      return switch (accessLog) {
        case "off" -> AccessLog.disabled();
        case "stdout" -> AccessLog.to(new FileOutputStream(FileDescriptor.out), accessLogFormat);
        default -> AccessLog.toFile(Path.of(accessLog), accessLogFormat);
      };
    }
  }
}
