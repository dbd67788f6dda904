package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * HAProxy's {@code backend}: where traffic goes (a Service or static endpoints), how it is spread, and how
 * endpoints are checked, and the protocol the proxy speaks to it (with its TLS settings).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Backend(
    String name,
    ServiceRef service,
    List<Endpoint> endpoints,
    Balance balance,
    HealthCheck healthCheck,
    Integer maxConnectionsPerEndpoint,
    ProxyProtocol proxyProtocol,
    BackendProtocol protocol,
    BackendTls tls) {

  public static Backend ofEndpoints(String name, List<Endpoint> endpoints) {
    return new Backend(name, null, endpoints, null, null, null, null, null, null);
  }

  /** A backend of a Service, with every other field left to its default. */
  public static Backend ofService(String name, ServiceRef service) {
    return new Backend(name, service, null, null, null, null, null, null, null);
  }

  public BackendProtocol protocolOrDefault() {
    return protocol == null ? BackendProtocol.HTTP1 : protocol;
  }

  public List<Endpoint> endpointsOrEmpty() {
    return endpoints == null ? List.of() : endpoints;
  }

  public Balance balanceOrDefault() {
    return balance == null ? Balance.RoundRobin : balance;
  }

  public ProxyProtocol proxyProtocolOrDefault() {
    return proxyProtocol == null ? ProxyProtocol.None : proxyProtocol;
  }

  public int maxConnectionsPerEndpointOrDefault() {
    return maxConnectionsPerEndpoint == null ? 0 : maxConnectionsPerEndpoint;
  }
}
