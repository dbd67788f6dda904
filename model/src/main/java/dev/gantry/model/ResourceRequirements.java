package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** Kubernetes container resources, as quantities ({@code cpu: 500m}, {@code memory: 256Mi}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResourceRequirements(Map<String, String> limits, Map<String, String> requests) {
}
