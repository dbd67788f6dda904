package dev.gantry.operator.gateway;

import dev.gantry.model.Infrastructure;
import dev.gantry.operator.gateway.api.GatewayResource;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Gateway's {@code spec.infrastructure} as its LoadBalancer's: its labels and annotations go on every object of
 * the fleet, with the label {@code gateway.networking.k8s.io/gateway-name} naming the Gateway. Parameters are not
 * served: a Gateway that names any is not accepted ({@code InvalidParameters}) and gets no fleet.
 */
final class GatewayInfrastructure {

  static final String GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

  private GatewayInfrastructure() {
  }

  static Infrastructure of(GatewayResource gw) {
    GatewayResource.Infrastructure in = infrastructure(gw);
    Map<String, String> labels = new TreeMap<>();
    if (in != null && in.labels() != null) {
      labels.putAll(in.labels());
    }
    labels.put(GATEWAY_NAME_LABEL, gw.getMetadata().getName());
    Map<String, String> annotations = in == null || in.annotations() == null || in.annotations().isEmpty() ? null
        : new TreeMap<>(in.annotations());
    return new Infrastructure(labels, annotations);
  }

  /** Whether the Gateway names parameters, which Gantry has none of. */
  static boolean refusesParameters(GatewayResource gw) {
    GatewayResource.Infrastructure in = infrastructure(gw);
    return in != null && in.parametersRef() != null;
  }

  private static GatewayResource.Infrastructure infrastructure(GatewayResource gw) {
    return gw.getSpec() == null ? null : gw.getSpec().infrastructure();
  }
}
