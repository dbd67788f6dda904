package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One {@code LoadBalancer} document ({@code gantry.dev/v1alpha1}): what users write, and, with every
 * Service resolved to endpoints, the routing model the proxy serves.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record LoadBalancer(
    String apiVersion,
    String kind,
    Metadata metadata,
    LoadBalancerSpec spec,
    LoadBalancerStatus status) {

  public static final String GROUP = "gantry.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String KIND = "LoadBalancer";

  /** {@code namespace/name}, or just the name when no namespace is set: how logs and metrics name it. */
  public String id() {
    if (metadata == null) {
      return "";
    }
    return metadata.namespace() == null ? metadata.name() : metadata.namespace() + "/" + metadata.name();
  }
}
