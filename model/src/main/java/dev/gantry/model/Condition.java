package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A standard {@code metav1.Condition}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Condition(
    String type,
    String status,
    Long observedGeneration,
    String lastTransitionTime,
    String reason,
    String message) {
}
