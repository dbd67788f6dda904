package dev.gantry.operator.translate;

import dev.gantry.model.BackendProtocol;
import java.util.Locale;

/**
 * The backend protocol a Service port's {@code appProtocol} asks for, when the LoadBalancer does not say:
 * the names Gateway API defines ({@code kubernetes.io/h2c}, {@code kubernetes.io/ws}, {@code kubernetes.io/wss}),
 * the IANA service names in common use ({@code https}, {@code grpc}) and their {@code kubernetes.io/} forms.
 * gRPC Services in a cluster speak h2c unless they say otherwise. Anything else, or none, is HTTP/1.1.
 */
public final class AppProtocols {

  private AppProtocols() {
  }

  public static BackendProtocol protocolOf(String appProtocol) {
    if (appProtocol == null) {
      return BackendProtocol.HTTP1;
    }
    return switch (appProtocol.toLowerCase(Locale.ROOT)) {
      case "kubernetes.io/h2c", "h2c", "grpc" -> BackendProtocol.H2C;
      case "https", "kubernetes.io/https", "kubernetes.io/wss", "wss", "tls" -> BackendProtocol.TLS;
      default -> BackendProtocol.HTTP1;
    };
  }
}
