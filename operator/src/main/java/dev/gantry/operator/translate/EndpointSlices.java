package dev.gantry.operator.translate;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** How an EndpointSlice names the Service it belongs to (its {@code kubernetes.io/service-name} label). */
public final class EndpointSlices {

  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private EndpointSlices() {
  }

  /** The name of the Service a slice belongs to, or null. */
  public static String serviceOf(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    return labels == null ? null : labels.get(SERVICE_NAME_LABEL);
  }

  /** Slices by the name of their Service; a slice that names none is left out. */
  public static Map<String, List<EndpointSlice>> byService(Stream<EndpointSlice> slices) {
    return slices.filter(s -> serviceOf(s) != null).collect(Collectors.groupingBy(EndpointSlices::serviceOf));
  }
}
