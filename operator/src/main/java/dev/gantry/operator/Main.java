package dev.gantry.operator;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.gantry.operator.translate.FleetSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gantry-operator}: reconciles LoadBalancer resources into proxy fleets. Flags or environment. */
@Command(name = "gantry-operator", mixinStandardHelpOptions = true, version = "gantry-operator 0.1.0",
    sortOptions = false, description = "Reconciles gantry.dev/v1alpha1 LoadBalancer resources into proxy fleets.")
public final class Main implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  @Option(names = "--namespaces", paramLabel = "NS[,NS...]", split = ",",
      defaultValue = "${env:GANTRY_NAMESPACES}",
      description = "Namespaces to watch; all when empty (env GANTRY_NAMESPACES).")
  String[] namespaces;

  @Option(names = "--proxy-image", paramLabel = "IMAGE",
      defaultValue = "${env:GANTRY_PROXY_IMAGE:-" + FleetSettings.DEFAULT_IMAGE + "}",
      description = "Image of the proxy pods (env GANTRY_PROXY_IMAGE, default ${DEFAULT-VALUE}).")
  String proxyImage;

  @Option(names = "--proxy-image-pull-policy", paramLabel = "POLICY",
      defaultValue = "${env:GANTRY_PROXY_IMAGE_PULL_POLICY:-IfNotPresent}",
      description = "IfNotPresent, Always or Never (env GANTRY_PROXY_IMAGE_PULL_POLICY, default ${DEFAULT-VALUE}).")
  String pullPolicy;

  @Option(names = "--proxy-admin-port", paramLabel = "PORT",
      defaultValue = "${env:GANTRY_PROXY_ADMIN_PORT:-8404}",
      description = "Admin port of the proxy pods: probes, metrics, served generation (default ${DEFAULT-VALUE}).")
  int proxyAdminPort;

  @Option(names = "--health-port", paramLabel = "PORT", defaultValue = "${env:GANTRY_HEALTH_PORT:-8080}",
      description = "Port of /healthz, /readyz and /metrics (env GANTRY_HEALTH_PORT, default ${DEFAULT-VALUE}).")
  int healthPort;

  @Option(names = "--leader-election-namespace", paramLabel = "NS",
      defaultValue = "${env:GANTRY_LEADER_ELECTION_NAMESPACE:-${env:POD_NAMESPACE}}",
      description = "Namespace of the leader-election Lease (env GANTRY_LEADER_ELECTION_NAMESPACE, else "
          + "POD_NAMESPACE); without one, no leader election: run a single replica.")
  String leaseNamespace;

  @Option(names = "--gateway-api", negatable = true, defaultValue = "${env:GANTRY_GATEWAY_API:-false}",
      description = "Serve Gateway API (GatewayClass, Gateway, HTTPRoute) cluster-wide; its CRDs must be installed "
          + "(env GANTRY_GATEWAY_API, default ${DEFAULT-VALUE}).")
  boolean gatewayApi;

  @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "${env:GANTRY_LOG_FORMAT:-text}",
      description = "text or json (env GANTRY_LOG_FORMAT, default ${DEFAULT-VALUE}).")
  String logFormat;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if ("json".equals(logFormat)) {
      jsonLogs();
    } else if (!"text".equals(logFormat)) {
      System.err.println("gantry-operator: --log-format must be text or json, got " + logFormat);
      return 2;
    }
    Set<String> watched = namespaces == null ? Set.of() : new LinkedHashSet<>(Arrays.stream(namespaces)
        .map(String::trim).filter(s -> !s.isEmpty()).toList());
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KubernetesClient client = new KubernetesClientBuilder().build();
    Optional<String> lease = Optional.ofNullable(leaseNamespace).filter(s -> !s.isBlank());
    GantryOperator operator = new GantryOperator(new GantryOperator.Config(client, watched,
        new FleetSettings(proxyImage, pullPolicy, proxyAdminPort), lease, metrics, true, gatewayApi));
    HealthServer health = new HealthServer(healthPort, operator::healthy, metrics);
    LOG.info("gantry-operator: namespaces {}, proxy image {}, leader election {}, Gateway API {}, probes and metrics "
        + "on :{}", watched.isEmpty() ? "all" : watched, proxyImage, lease.map(ns -> "in " + ns).orElse("off"),
        gatewayApi ? "on" : "off", health.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.close();
      health.close();
      client.close();
      stopped.countDown();
    }, "gantry-shutdown"));
    operator.start();
    stopped.await();
    return 0;
  }

  /** One JSON object per line on stdout, for log collectors. */
  private static void jsonLogs() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.start();
    root.addAppender(appender);
  }
}
