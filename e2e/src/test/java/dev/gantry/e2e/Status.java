package dev.gantry.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;

/** A LoadBalancer's status as JSON, read the way {@code kubectl get lb -o json} shows it. */
record Status(JsonNode json) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Status of(KubernetesClient client, String namespace, String name) {
    GenericKubernetesResource lb = client.genericKubernetesResources("gantry.dev/v1alpha1", "LoadBalancer")
        .inNamespace(namespace).withName(name).get();
    return new Status(lb == null ? JSON.createObjectNode() : JSON.valueToTree(lb).path("status"));
  }

  JsonNode condition(String type) {
    return find(json.path("conditions"), "type", type);
  }

  boolean readyAt(long generation) {
    return json.path("observedGeneration").asLong() == generation
        && "True".equals(condition("Ready").path("status").asText());
  }

  JsonNode listener(String name) {
    return find(json.path("listeners"), "name", name);
  }

  JsonNode backend(String name) {
    return find(json.path("backends"), "name", name);
  }

  private static JsonNode find(JsonNode list, String key, String value) {
    for (JsonNode item : list) {
      if (value.equals(item.path(key).asText())) {
        return item;
      }
    }
    return JSON.createObjectNode();
  }

  @Override
  public String toString() {
    return json.toPrettyString();
  }
}
