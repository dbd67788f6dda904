package dev.gantry.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Asks a proxy pod which generation of a load balancer it serves: {@code GET /served} on its admin port
 * answers {@code {"loadBalancers":[{"id":"ns/name","generation":3}]}}. Short timeouts: a pod that does not
 * answer counts as not serving, and slows only the reconciliation of its own load balancer.
 */
public final class ServedGenerations {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int adminPort;
  private final HttpClient client;

  public ServedGenerations(int adminPort) {
    this.adminPort = adminPort;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  }

  public OptionalLong of(Pod pod, String loadBalancerId) {
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    if (ip == null || ip.isEmpty()) {
      return OptionalLong.empty();
    }
    String host = ip.contains(":") ? "[" + ip + "]" : ip;
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + adminPort + "/served"))
        .timeout(Duration.ofSeconds(1)).GET().build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return OptionalLong.empty();
      }
      for (JsonNode lb : JSON.readTree(response.body()).path("loadBalancers")) {
        if (loadBalancerId.equals(lb.path("id").asText()) && lb.path("generation").canConvertToLong()) {
          return OptionalLong.of(lb.path("generation").asLong());
        }
      }
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalLong.empty();
    } catch (Exception e) {
      return OptionalLong.empty();
    }
  }

  /** A pod that is Ready and not being deleted. */
  public static boolean isReady(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null
        || pod.getStatus().getConditions() == null) {
      return false;
    }
    return pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
