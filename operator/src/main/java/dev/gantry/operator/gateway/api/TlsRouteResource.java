package dev.gantry.operator.gateway.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

/** {@code TLSRoute} (gateway.networking.k8s.io/v1): TLS connections routed by SNI, with the fields Gantry reads. */
@Group(GatewayApi.GROUP)
@Version(GatewayApi.V1)
@Kind(GatewayApi.TLS_ROUTE)
@Plural("tlsroutes")
public class TlsRouteResource extends CustomResource<TlsRouteResource.Spec, RouteStatus> implements Namespaced {

  private static final long serialVersionUID = 1L;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Spec(List<ParentRef> parentRefs, List<String> hostnames, List<Rule> rules)
      implements RouteSpec<Rule> {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Rule(String name, List<HttpRouteResource.BackendRef> backendRefs) {
  }
}
