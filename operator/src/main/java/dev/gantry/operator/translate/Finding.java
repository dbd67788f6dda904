package dev.gantry.operator.translate;

/**
 * Something wrong with a load balancer, for its status and Events. {@code reason} is a condition reason
 * (CamelCase); {@code message} names the part and what is wrong, without any secret material.
 */
public record Finding(String reason, String message) {

  /** The spec itself is invalid here (the API server's schema cannot check everything). */
  public static final String INVALID = "Invalid";
  public static final String SERVICE_NOT_FOUND = "ServiceNotFound";
  public static final String PORT_NOT_FOUND = "PortNotFound";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String INVALID_SECRET = "InvalidSecret";
  public static final String CONFIG_MAP_NOT_FOUND = "ConfigMapNotFound";
  public static final String INVALID_CONFIG_MAP = "InvalidConfigMap";

  @Override
  public String toString() {
    return message;
  }
}
