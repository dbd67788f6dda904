package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Per-backend status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackendStatus(String name, Integer endpoints, Integer healthyEndpoints) {
}
