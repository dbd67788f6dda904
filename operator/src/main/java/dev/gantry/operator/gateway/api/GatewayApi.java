package dev.gantry.operator.gateway.api;

/** Names of the Gateway API that Gantry serves. */
public final class GatewayApi {

  public static final String GROUP = "gateway.networking.k8s.io";
  public static final String V1 = "v1";
  public static final String CONTROLLER_NAME = "gantry.dev/gateway-controller";
  public static final String GATEWAY = "Gateway";
  public static final String LISTENER_SET = "ListenerSet";
  public static final String HTTP_ROUTE = "HTTPRoute";
  public static final String TLS_ROUTE = "TLSRoute";
  public static final String TCP_ROUTE = "TCPRoute";
  public static final String GRPC_ROUTE = "GRPCRoute";
  public static final String SERVICE = "Service";
  public static final String SECRET = "Secret";
  public static final String CONFIG_MAP = "ConfigMap";
  public static final String BACKEND_TLS_POLICY = "BackendTLSPolicy";

  private GatewayApi() {
  }

  /** A group as the API defaults it: the core group is the empty string. */
  public static String groupOr(String group, String fallback) {
    return group == null ? fallback : group;
  }
}
