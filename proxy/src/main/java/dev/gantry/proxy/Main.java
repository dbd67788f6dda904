package dev.gantry.proxy;

import dev.gantry.model.Durations;
import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.admin.AccessLogFormat;
import dev.gantry.proxy.cluster.ClusterCommand;
import dev.gantry.proxy.config.FileConfigSource;
import dev.gantry.proxy.demo.DemoCommand;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gantry-proxy}: serves the LoadBalancer documents of a YAML file, the way HAProxy serves its config. */
@Command(name = "gantry-proxy", mixinStandardHelpOptions = true, version = "gantry-proxy 0.1.0",
    sortOptions = false, subcommands = {DemoCommand.class, ClusterCommand.class},
    description = "Serves the LoadBalancer documents of a YAML file: HTTP and HTTPS routing by host and path, "
        + "TCP and TLS (SNI) passthrough, "
        + "reloaded when the file changes or on SIGHUP.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped normally, or --check found no problem",
        "1:a runtime failure, such as a port that cannot be bound",
        "2:the configuration is invalid, or the command line is"})
public final class Main implements Callable<Integer> {

  static final int EXIT_RUNTIME = 1;
  static final int EXIT_INVALID = 2;

  @Option(names = "--config", paramLabel = "FILE", description = "LoadBalancer YAML (or JSON) documents to serve.")
  Path config;

  @Option(names = "--check", description = "Check the configuration, print its problems, and exit.")
  boolean checkOnly;

  @CommandLine.Mixin
  RuntimeOptions runtime = new RuntimeOptions();

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    Logs.flush();
    System.exit(code);
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }

  @Override
  public Integer call() throws Exception {
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
    GantryProxy proxy;
    try {
      proxy = GantryProxy.start(runtime.proxyOptions(), runtime.accessLog());
    } catch (dev.gantry.proxy.pipeline.ListenerBindException e) {
      System.err.println("gantry-proxy: " + e.getMessage());
      return 1;
    }
    FileConfigSource source = new FileConfigSource(config, proxy);
    List<String> problems = source.loadInitial();
    if (!problems.isEmpty()) {
      problems.forEach(System.err::println);
      proxy.close();
      return problems.stream().anyMatch(p -> p.contains("cannot listen on")) ? EXIT_RUNTIME : EXIT_INVALID;
    }
    source.startWatching();
    return runUntilStopped(proxy, runtime, source);
  }

  /**
   * Blocks until the JVM is asked to stop (SIGTERM, SIGINT), then closes {@code alsoClose} (the configuration
   * source) and shuts the proxy down as {@code runtime} says: serving on for the shutdown delay, then
   * draining.
   */
  public static int runUntilStopped(GantryProxy proxy, RuntimeOptions runtime, AutoCloseable... alsoClose)
      throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (AutoCloseable c : alsoClose) {
        try {
          c.close();
        } catch (Exception e) {
          // Shutting down: there is nobody left to tell.
        }
      }
      proxy.shutdown(runtime.shutdownDelay, runtime.drainTimeout);
      Logs.flush();
      stopped.countDown();
    }, "gantry-shutdown"));
    stopped.await();
    return 0;
  }

  /** Options shared by the main command and the demo. */
  public static final class RuntimeOptions {
    @Option(names = "--admin-port", paramLabel = "PORT", defaultValue = "8404",
        description = "Admin port for /healthz, /readyz and /metrics (default ${DEFAULT-VALUE}; 0 = any free "
            + "port, -1 = off).")
    int adminPort;

    @Option(names = "--admin-address", paramLabel = "ADDR", defaultValue = "0.0.0.0",
        description = "Address of the admin port (default ${DEFAULT-VALUE}).")
    String adminAddress;

    @Option(names = "--bind-address", paramLabel = "ADDR", defaultValue = "0.0.0.0",
        description = "Address every listener binds to (default ${DEFAULT-VALUE}).")
    String bindAddress;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
        description = "Event loop threads (default 0 = one per CPU).")
    int threads;

    @Option(names = "--transport", paramLabel = "KIND", defaultValue = "auto",
        description = "Socket transport: auto, epoll or nio (default ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "0",
        description = "Most client connections open at once, over every listener; beyond it new connections "
            + "wait in the kernel's accept backlog until some close (default 0 = half the open-file limit, "
            + "less 100).")
    int maxConnections;

    @Option(names = "--shutdown-delay", paramLabel = "DURATION", defaultValue = "0s",
        converter = DurationConverter.class,
        description = "On SIGTERM, how long to go on serving, reporting not ready, before the listeners close; "
            + "in Kubernetes, the time it takes to withdraw a terminating pod's endpoints (default ${DEFAULT-VALUE}).")
    Duration shutdownDelay;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "20s",
        converter = DurationConverter.class,
        description = "Then, how long open connections get to finish their exchange before they are closed "
            + "(default ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--access-log", paramLabel = "DEST", defaultValue = "stdout",
        description = "Where access-log lines go: stdout, off, or a file path (default ${DEFAULT-VALUE}).")
    String accessLog;

    @Option(names = "--access-log-format", paramLabel = "FORMAT", defaultValue = "haproxy",
        description = "Access-log layout: haproxy or json (default ${DEFAULT-VALUE}).")
    AccessLogFormat accessLogFormat;

    /** Gateway API durations: 500ms, 5s, 1m30s. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
      @Override
      public Duration convert(String value) {
        try {
          return Durations.parse(value);
        } catch (IllegalArgumentException e) {
          throw new CommandLine.TypeConversionException(e.getMessage());
        }
      }
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
