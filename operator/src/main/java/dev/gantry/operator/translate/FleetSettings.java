package dev.gantry.operator.translate;

/**
 * How the operator builds every proxy fleet, from its own flags.
 *
 * @param proxyImage the proxy container image
 * @param imagePullPolicy {@code IfNotPresent}, {@code Always} or {@code Never}
 * @param adminPort the proxies' admin port: probes, metrics, and the generation they serve
 */
public record FleetSettings(String proxyImage, String imagePullPolicy, int adminPort) {

  public static final String DEFAULT_IMAGE = "gantry/proxy:0.1.0";
  public static final int DEFAULT_ADMIN_PORT = 8404;
  /** Two pods, so that a node drain (bounded by the PodDisruptionBudget) never leaves none. */
  public static final int DEFAULT_REPLICAS = 2;

  public static FleetSettings defaults() {
    return new FleetSettings(DEFAULT_IMAGE, "IfNotPresent", DEFAULT_ADMIN_PORT);
  }
}
