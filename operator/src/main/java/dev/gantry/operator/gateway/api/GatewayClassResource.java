package dev.gantry.operator.gateway.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gantry.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

/** {@code GatewayClass} (gateway.networking.k8s.io/v1), with the fields Gantry reads and writes. Cluster-scoped. */
@Group(GatewayApi.GROUP)
@Version(GatewayApi.V1)
@Kind("GatewayClass")
@Plural("gatewayclasses")
public class GatewayClassResource extends CustomResource<GatewayClassResource.Spec, GatewayClassResource.Status> {

  private static final long serialVersionUID = 1L;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Spec(String controllerName, String description) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Status(List<Condition> conditions, List<Feature> supportedFeatures) {
  }

  /** An entry of {@code status.supportedFeatures}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Feature(String name) {
  }
}
