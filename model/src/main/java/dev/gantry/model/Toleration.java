package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A Kubernetes pod toleration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Toleration(String key, String operator, String value, String effect, Long tolerationSeconds) {
}
