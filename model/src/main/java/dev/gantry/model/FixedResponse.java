package dev.gantry.model;

/**
 * What a backend that proxies nowhere answers: every request routed to it gets this status from the proxy
 * itself (HAProxy's {@code http-request return}, Envoy's {@code direct_response}). Gateway API needs it for
 * the share of traffic of a backendRef that cannot be used, which must be answered with 500.
 */
public record FixedResponse(Integer status) {

  public static final int MIN_STATUS = 200;
  public static final int MAX_STATUS = 599;
}
