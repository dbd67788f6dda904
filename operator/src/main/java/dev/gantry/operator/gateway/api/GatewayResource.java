package dev.gantry.operator.gateway.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gantry.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

/** {@code Gateway} (gateway.networking.k8s.io/v1), with the fields Gantry reads and writes. */
@Group(GatewayApi.GROUP)
@Version(GatewayApi.V1)
@Kind(GatewayApi.GATEWAY)
@Plural("gateways")
public class GatewayResource extends CustomResource<GatewayResource.Spec, GatewayResource.Status> implements Namespaced {

  private static final long serialVersionUID = 1L;

  /** {@code Gateway(namespace/name)}: how log lines name it. */
  public String describe() {
    return "Gateway(" + getMetadata().getNamespace() + "/" + getMetadata().getName() + ")";
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Spec(String gatewayClassName, List<Listener> listeners, List<Address> addresses, GatewayTls tls,
      Infrastructure infrastructure, AllowedListeners allowedListeners) {

    /** Without {@code allowedListeners}: no ListenerSet may attach. */
    public Spec(String gatewayClassName, List<Listener> listeners, List<Address> addresses, GatewayTls tls,
        Infrastructure infrastructure) {
      this(gatewayClassName, listeners, addresses, tls, infrastructure, null);
    }

    public List<Listener> listenersOrEmpty() {
      return listeners == null ? List.of() : listeners;
    }
  }

  /** {@code spec.allowedListeners}: the namespaces whose ListenerSets may attach ({@code from}: None by default). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AllowedListeners(RouteNamespaces namespaces) {
  }

  /** Labels and annotations for the objects made for the Gateway, and a reference to parameters. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Infrastructure(java.util.Map<String, String> labels, java.util.Map<String, String> annotations,
      ObjectRef parametersRef) {
  }

  /** {@code spec.tls}: the Gateway's TLS towards backends and its clients. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record GatewayTls(BackendTls backend, FrontendTls frontend) {
  }

  /** {@code spec.tls.frontend}: client certificate validation on HTTPS ports, by default and per port. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record FrontendTls(@JsonProperty("default") FrontendTlsConfig defaults, List<PortTls> perPort) {
    public List<PortTls> perPortOrEmpty() {
      return perPort == null ? List.of() : perPort;
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PortTls(Integer port, FrontendTlsConfig tls) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record FrontendTlsConfig(FrontendValidation validation) {
  }

  /** {@code caCertificateRefs} and {@code mode} ({@code AllowValidOnly}, the default, or {@code AllowInsecureFallback}). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record FrontendValidation(List<ObjectRef> caCertificateRefs, String mode) {
    public List<ObjectRef> caCertificateRefsOrEmpty() {
      return caCertificateRefs == null ? List.of() : caCertificateRefs;
    }
  }

  /** {@code spec.tls.backend}: the client certificate the Gateway presents to TLS backends. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record BackendTls(ObjectRef clientCertificateRef) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Listener(String name, String hostname, Integer port, String protocol, Tls tls,
      AllowedRoutes allowedRoutes) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Tls(String mode, List<ObjectRef> certificateRefs) {
    public List<ObjectRef> certificateRefsOrEmpty() {
      return certificateRefs == null ? List.of() : certificateRefs;
    }
  }

  /** A reference to an object by group, kind, name and (optionally) namespace. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ObjectRef(String group, String kind, String name, String namespace) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AllowedRoutes(RouteNamespaces namespaces, List<RouteGroupKind> kinds) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RouteNamespaces(String from, LabelSelector selector) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RouteGroupKind(String group, String kind) {
  }

  /** An address in {@code spec.addresses} or {@code status.addresses}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Address(String type, String value) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Status(List<Address> addresses, List<Condition> conditions, List<ListenerStatus> listeners,
      Integer attachedListenerSets) {

    public Status(List<Address> addresses, List<Condition> conditions, List<ListenerStatus> listeners) {
      this(addresses, conditions, listeners, null);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ListenerStatus(String name, List<RouteGroupKind> supportedKinds, int attachedRoutes,
      List<Condition> conditions) {
  }
}
