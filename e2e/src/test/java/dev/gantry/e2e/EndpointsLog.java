package dev.gantry.e2e;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * What a Service's EndpointSlices said, and when, while a disruption ran: each change as one timestamped
 * line of {@code address ready/serving/terminating}, to set beside the failed requests' times.
 */
final class EndpointsLog implements AutoCloseable {

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Watch watch;

  EndpointsLog(KubernetesClient client, String namespace, String service) {
    this.watch = client.discovery().v1().endpointSlices().inNamespace(namespace)
        .withLabel("kubernetes.io/service-name", service).watch(new Watcher<>() {
          @Override
          public void eventReceived(Action action, EndpointSlice slice) {
            lines.add(Instant.now() + " " + action + " " + describe(slice));
          }

          @Override
          public void onClose(WatcherException cause) {
          }
        });
  }

  static String describe(EndpointSlice slice) {
    List<Endpoint> endpoints = slice.getEndpoints() == null ? List.of() : slice.getEndpoints();
    return endpoints.stream().map(e -> e.getAddresses().get(0) + " " + flag(e.getConditions().getReady())
        + "/" + flag(e.getConditions().getServing()) + "/" + flag(e.getConditions().getTerminating()))
        .collect(Collectors.joining(", "));
  }

  private static String flag(Boolean b) {
    return Boolean.TRUE.equals(b) ? "1" : "0";
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    watch.close();
  }
}
