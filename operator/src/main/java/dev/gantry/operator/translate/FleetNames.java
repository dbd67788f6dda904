package dev.gantry.operator.translate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The names and labels of everything the operator creates for one load balancer. A LoadBalancer may be
 * named like any object (up to 253 characters, dots allowed) but a Service name is a DNS-1035 label, so
 * every name derives from a base that is always one: {@code gantry-<name>}, shortened with a hash when the
 * name is long or has dots.
 */
public record FleetNames(String namespace, String loadBalancer, String base) {

  public static final String MANAGED_BY = "gantry-operator";
  public static final String APP = "gantry-proxy";
  public static final String LABEL_NAME = "app.kubernetes.io/name";
  public static final String LABEL_INSTANCE = "app.kubernetes.io/instance";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String LABEL_COMPONENT = "app.kubernetes.io/component";
  /** On the fleet's pods: the load balancer they serve, as a name (labels cannot hold every name). */
  public static final String ANNOTATION_LOAD_BALANCER = "gantry.dev/load-balancer";
  /** The selector of every object the operator manages. */
  public static final String MANAGED_SELECTOR = LABEL_MANAGED_BY + "=" + MANAGED_BY;
  public static final String PODS_SELECTOR = LABEL_NAME + "=" + APP;

  /** Leaves room for the pod-name suffixes a Deployment adds (63 - 17) and our own suffixes. */
  private static final int MAX_BASE = 40;
  private static final String PREFIX = "gantry-";

  public static FleetNames of(String namespace, String loadBalancer) {
    String plain = PREFIX + loadBalancer;
    if (plain.length() <= MAX_BASE && !loadBalancer.contains(".")) {
      return new FleetNames(namespace, loadBalancer, plain);
    }
    String hash = sha256(loadBalancer).substring(0, 8);
    String head = loadBalancer.replace('.', '-');
    head = head.substring(0, Math.min(head.length(), MAX_BASE - PREFIX.length() - hash.length() - 1));
    while (head.endsWith("-")) {
      head = head.substring(0, head.length() - 1);
    }
    return new FleetNames(namespace, loadBalancer, PREFIX + head + "-" + hash);
  }

  public String deployment() {
    return base;
  }

  public String service() {
    return base;
  }

  public String serviceAccount() {
    return base;
  }

  public String role() {
    return base;
  }

  public String roleBinding() {
    return base;
  }

  public String podDisruptionBudget() {
    return base;
  }

  /** The ConfigMap holding the resolved model. */
  public String modelConfigMap() {
    return base + "-model";
  }

  /** The Secret holding the certificates and keys the model refers to. */
  public String tlsSecret() {
    return base + "-tls";
  }

  /** What selects the fleet's pods. */
  public Map<String, String> selector() {
    return Map.of(LABEL_NAME, APP, LABEL_INSTANCE, base);
  }

  /** The labels of every object of the fleet. */
  public Map<String, String> labels() {
    return Map.of(LABEL_NAME, APP, LABEL_INSTANCE, base, LABEL_MANAGED_BY, MANAGED_BY, LABEL_COMPONENT, "proxy");
  }

  /** {@code namespace/name}: how the proxy names the load balancer it serves. */
  public String id() {
    return namespace + "/" + loadBalancer;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
