package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The part of Kubernetes object metadata a LoadBalancer document uses. Fields the API server fills in are
 * accepted and ignored, so that {@code kubectl get lb -o yaml} output runs standalone as it is.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties({"uid", "resourceVersion", "creationTimestamp", "managedFields", "finalizers",
    "ownerReferences", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", "generateName"})
public record Metadata(
    String name,
    String namespace,
    Long generation,
    Map<String, String> labels,
    Map<String, String> annotations) {

  public static Metadata named(String name) {
    return new Metadata(name, null, null, null, null);
  }

  public static Metadata named(String namespace, String name) {
    return new Metadata(name, namespace, null, null, null);
  }
}
