package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Active health checking of a backend's endpoints: HAProxy's {@code check} with {@code rise} and {@code fall}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthCheck(
    HealthCheckProtocol protocol,
    String path,
    String interval,
    String timeout,
    Integer healthyThreshold,
    Integer unhealthyThreshold) {
}
