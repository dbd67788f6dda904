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

/** {@code TCPRoute} (gateway.networking.k8s.io/v1): TCP connections of a listener to weighted Services. */
@Group(GatewayApi.GROUP)
@Version(GatewayApi.V1)
@Kind(GatewayApi.TCP_ROUTE)
@Plural("tcproutes")
public class TcpRouteResource extends CustomResource<TcpRouteResource.Spec, RouteStatus> implements Namespaced {

  private static final long serialVersionUID = 1L;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Spec(List<ParentRef> parentRefs, List<TlsRouteResource.Rule> rules)
      implements RouteSpec<TlsRouteResource.Rule> {
  }
}
