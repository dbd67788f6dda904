package dev.gantry.operator.gateway.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A route's {@code parentRef}: the Gateway (and optionally its listener, by name or port) it attaches to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ParentRef(String group, String kind, String namespace, String name, String sectionName,
    Integer port) {

  /** Whether this reference names the Gateway {@code namespace/name}, for a route of {@code routeNamespace}. */
  public boolean names(String gatewayNamespace, String gatewayName, String routeNamespace) {
    return GatewayApi.GROUP.equals(GatewayApi.groupOr(group, GatewayApi.GROUP))
        && GatewayApi.GATEWAY.equals(kind == null ? GatewayApi.GATEWAY : kind)
        && gatewayName.equals(name)
        && gatewayNamespace.equals(namespace == null ? routeNamespace : namespace);
  }

  /** Whether this reference names the ListenerSet {@code namespace/name}, for a route of {@code routeNamespace}. */
  public boolean namesListenerSet(String setNamespace, String setName, String routeNamespace) {
    return GatewayApi.GROUP.equals(GatewayApi.groupOr(group, GatewayApi.GROUP))
        && GatewayApi.LISTENER_SET.equals(kind)
        && setName.equals(name)
        && setNamespace.equals(namespace == null ? routeNamespace : namespace);
  }
}
