package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * HAProxy's {@code backend}: where traffic goes (a Service or static endpoints), how it is spread, and how
 * endpoints are checked, and the protocol the proxy speaks to it (with its TLS settings). Or, with
 * {@code fixedResponse}, a backend the proxy answers itself with a fixed status, proxying nowhere.
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
    BackendTls tls,
    FixedResponse fixedResponse) {

  /** A backend that proxies somewhere (no fixed response). */
  public Backend(String name, ServiceRef service, List<Endpoint> endpoints, Balance balance, HealthCheck healthCheck,
      Integer maxConnectionsPerEndpoint, ProxyProtocol proxyProtocol, BackendProtocol protocol, BackendTls tls) {
    this(name, service, endpoints, balance, healthCheck, maxConnectionsPerEndpoint, proxyProtocol, protocol, tls, null);
  }

  public static Backend ofEndpoints(String name, List<Endpoint> endpoints) {
    return new Backend(name, null, endpoints, null, null, null, null, null, null);
  }

  /** A backend of a Service, with every other field left to its default. */
  public static Backend ofService(String name, ServiceRef service) {
    return new Backend(name, service, null, null, null, null, null, null, null);
  }

  /** A backend the proxy answers itself with {@code status}. */
  public static Backend ofFixedResponse(String name, int status) {
    return new Backend(name, null, null, null, null, null, null, null, null, new FixedResponse(status));
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
