package dev.gantry.operator.gateway;

import dev.gantry.operator.gateway.api.GatewayApi;

/**
 * The object a listener is declared in: the Gateway itself, or one of the ListenerSets attached to it ({@code kind}
 * {@value GatewayApi#GATEWAY} or {@value GatewayApi#LISTENER_SET}). Its namespace is where the listener's
 * certificate references default to and what ReferenceGrants are asked about.
 */
record ListenerOwner(String kind, String namespace, String name) {

  static ListenerOwner gateway(String namespace, String name) {
    return new ListenerOwner(GatewayApi.GATEWAY, namespace, name);
  }

  static ListenerOwner listenerSet(String namespace, String name) {
    return new ListenerOwner(GatewayApi.LISTENER_SET, namespace, name);
  }

  boolean isGateway() {
    return GatewayApi.GATEWAY.equals(kind);
  }
}
