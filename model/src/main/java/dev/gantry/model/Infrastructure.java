package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Cluster only: labels and annotations put on every object of the load balancer's fleet (its Deployment and
 * pods, Service, ServiceAccount and the rest), as Gateway API's {@code spec.infrastructure} asks. Ignored
 * standalone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Infrastructure(Map<String, String> labels, Map<String, String> annotations) {

  /** At most this many labels, and as many annotations: twice what Gateway API allows, for the operator's own. */
  public static final int MAX_ENTRIES = 16;

  public Map<String, String> labelsOrEmpty() {
    return labels == null ? Map.of() : labels;
  }

  public Map<String, String> annotationsOrEmpty() {
    return annotations == null ? Map.of() : annotations;
  }
}
