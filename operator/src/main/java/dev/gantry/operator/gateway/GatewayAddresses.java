package dev.gantry.operator.gateway;

import dev.gantry.model.Condition;
import dev.gantry.model.ServiceSpec;
import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.status.StatusAggregator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Gateway's {@code spec.addresses} asks for. Entries of type {@code IPAddress} with a value are the cluster
 * IPs of its fleet's Service ({@code spec.service.addresses} of its LoadBalancer), the first of each IP family, since
 * a Service has one per family; an {@code IPAddress} entry without a value asks for any address, which the Service
 * gets anyway. Other types ({@code Hostname}, {@code NamedAddress}, custom ones) are not supported. Pure.
 *
 * @param unsupported why the Gateway is not accepted for its addresses, or null
 * @param requested the cluster IPs its fleet's Service asks for
 * @param leftOut addresses of a family already asked for, which no Service can also have
 */
record GatewayAddresses(String unsupported, List<String> requested, List<String> leftOut) {

  static GatewayAddresses of(GatewayResource gw) {
    List<GatewayResource.Address> entries = gw.getSpec() == null || gw.getSpec().addresses() == null ? List.of()
        : gw.getSpec().addresses();
    List<String> problems = new ArrayList<>();
    Map<String, String> byFamily = new LinkedHashMap<>();
    List<String> leftOut = new ArrayList<>();
    for (GatewayResource.Address a : entries) {
      String type = a.type() == null ? "IPAddress" : a.type();
      boolean empty = a.value() == null || a.value().isEmpty();
      if (!"IPAddress".equals(type)) {
        problems.add("address type " + type + " is not supported (IPAddress is)");
      } else if (!empty) {
        String family = ServiceSpec.family(a.value());
        if (family == null) {
          problems.add(a.value() + " is not an IP address");
        } else if (byFamily.putIfAbsent(family, a.value()) != null) {
          leftOut.add(a.value());
        }
      }
    }
    return new GatewayAddresses(problems.isEmpty() ? null : "spec.addresses: " + String.join("; ", problems),
        List.copyOf(byFamily.values()), List.copyOf(leftOut));
  }

  /** The addresses for the LoadBalancer's {@code spec.service.addresses}: null when none are asked for. */
  List<String> forService() {
    return requested.isEmpty() ? null : requested;
  }

  /**
   * Why the addresses asked for cannot all be the Gateway's, or null: one of a family already asked for, or the
   * API server refused the fleet's Service of them ({@code lb}'s {@code Programmed} condition says so).
   */
  String notUsable(LoadBalancerResource lb) {
    Condition programmed = lb == null ? null : StatusAggregator.find(lb.getStatus(), StatusAggregator.PROGRAMMED);
    if (programmed != null && StatusAggregator.ADDRESS_NOT_USABLE.equals(programmed.reason())) {
      return programmed.message();
    }
    if (!leftOut.isEmpty()) {
      return "spec.addresses: a Service has one cluster IP per IP family; " + String.join(", ", leftOut)
          + " left out for " + String.join(", ", requested);
    }
    return null;
  }
}
