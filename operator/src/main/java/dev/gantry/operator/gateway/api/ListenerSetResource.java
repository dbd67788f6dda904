package dev.gantry.operator.gateway.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gantry.model.Condition;
import dev.gantry.operator.gateway.api.GatewayResource.Listener;
import dev.gantry.operator.gateway.api.GatewayResource.ListenerStatus;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

/**
 * {@code ListenerSet} (gateway.networking.k8s.io/v1): listeners of another object merged into its parent Gateway,
 * with the fields Gantry reads and writes. Its entries have the shape of a Gateway's listeners.
 */
@Group(GatewayApi.GROUP)
@Version(GatewayApi.V1)
@Kind(GatewayApi.LISTENER_SET)
@Plural("listenersets")
public class ListenerSetResource extends CustomResource<ListenerSetResource.Spec, ListenerSetResource.Status>
    implements Namespaced {

  private static final long serialVersionUID = 1L;

  /** {@code ListenerSet(namespace/name)}: how log lines name it. */
  public String describe() {
    return "ListenerSet(" + getMetadata().getNamespace() + "/" + getMetadata().getName() + ")";
  }

  /** Whether its {@code parentRef} names the Gateway {@code namespace/name}. */
  public boolean names(String gatewayNamespace, String gatewayName) {
    ParentGateway p = getSpec() == null ? null : getSpec().parentRef();
    return p != null && GatewayApi.GROUP.equals(GatewayApi.groupOr(p.group(), GatewayApi.GROUP))
        && GatewayApi.GATEWAY.equals(p.kind() == null ? GatewayApi.GATEWAY : p.kind())
        && gatewayName.equals(p.name())
        && gatewayNamespace.equals(p.namespace() == null ? getMetadata().getNamespace() : p.namespace());
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Spec(ParentGateway parentRef, List<Listener> listeners) {
    public List<Listener> listenersOrEmpty() {
      return listeners == null ? List.of() : listeners;
    }
  }

  /** {@code spec.parentRef}: the Gateway the listeners join. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ParentGateway(String group, String kind, String name, String namespace) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Status(List<Condition> conditions, List<ListenerStatus> listeners) {
  }
}
