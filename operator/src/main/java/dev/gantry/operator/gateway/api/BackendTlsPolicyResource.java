package dev.gantry.operator.gateway.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gantry.model.Condition;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;
import java.util.Map;

/**
 * {@code BackendTLSPolicy} (gateway.networking.k8s.io/v1): how Gateways speak TLS to the Services it targets, with
 * the fields Gantry reads and writes.
 */
@Group(GatewayApi.GROUP)
@Version(GatewayApi.V1)
@Kind(GatewayApi.BACKEND_TLS_POLICY)
@Plural("backendtlspolicies")
public class BackendTlsPolicyResource extends CustomResource<BackendTlsPolicyResource.Spec,
    BackendTlsPolicyResource.Status> implements Namespaced {

  private static final long serialVersionUID = 1L;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Spec(List<TargetRef> targetRefs, Validation validation, Map<String, String> options) {
    public List<TargetRef> targetRefsOrEmpty() {
      return targetRefs == null ? List.of() : targetRefs;
    }
  }

  /** A Service of the policy's namespace, or one of its ports by name. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record TargetRef(String group, String kind, String name, String sectionName) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Validation(List<LocalRef> caCertificateRefs,
      @JsonProperty("wellKnownCACertificates") String wellKnownCaCertificates, String hostname,
      List<SubjectAltName> subjectAltNames) {
    public List<LocalRef> caCertificateRefsOrEmpty() {
      return caCertificateRefs == null ? List.of() : caCertificateRefs;
    }

    public List<SubjectAltName> subjectAltNamesOrEmpty() {
      return subjectAltNames == null ? List.of() : subjectAltNames;
    }
  }

  /** An object of the policy's namespace. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record LocalRef(String group, String kind, String name) {
  }

  /** {@code type} Hostname with {@code hostname}, or URI with {@code uri}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SubjectAltName(String type, String hostname, String uri) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Status(List<Ancestor> ancestors) {
    public List<Ancestor> ancestorsOrEmpty() {
      return ancestors == null ? List.of() : ancestors;
    }
  }

  /** What one controller says of the policy for one Gateway. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Ancestor(ParentRef ancestorRef, String controllerName, List<Condition> conditions) {
  }
}
