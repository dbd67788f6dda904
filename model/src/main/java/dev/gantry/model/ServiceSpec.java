package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** Cluster only: how the proxy fleet is exposed. Ignored standalone. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceSpec(ServiceType type, Map<String, String> annotations) {
}
