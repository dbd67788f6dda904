package dev.gantry.operator.gateway.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gantry.operator.gateway.api.HttpRouteResource.BackendRef;
import dev.gantry.operator.gateway.api.HttpRouteResource.Filter;
import dev.gantry.operator.gateway.api.HttpRouteResource.HeaderMatch;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;
import java.util.Map;

/**
 * {@code GRPCRoute} (gateway.networking.k8s.io/v1), with the fields Gantry reads. Its filters and backendRefs
 * have the shape of an HTTPRoute's; fields Gantry does not serve are kept so that a rule using them is told so.
 */
@Group(GatewayApi.GROUP)
@Version(GatewayApi.V1)
@Kind(GatewayApi.GRPC_ROUTE)
@Plural("grpcroutes")
public class GrpcRouteResource extends CustomResource<GrpcRouteResource.Spec, RouteStatus> implements Namespaced {

  private static final long serialVersionUID = 1L;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Spec(List<ParentRef> parentRefs, List<String> hostnames, List<Rule> rules)
      implements RouteSpec<Rule> {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Rule(String name, List<Match> matches, List<Filter> filters, List<BackendRef> backendRefs,
      Map<String, Object> sessionPersistence) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Match(MethodMatch method, List<HeaderMatch> headers) {
  }

  /** {@code type} {@code Exact} (the default) or {@code RegularExpression}; service and method each optional. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record MethodMatch(String type, String service, String method) {
  }
}
