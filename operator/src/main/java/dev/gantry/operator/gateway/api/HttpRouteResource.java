package dev.gantry.operator.gateway.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
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
 * {@code HTTPRoute} (gateway.networking.k8s.io/v1), with the fields Gantry reads. Filters and matches keep
 * the fields Gantry does not serve as raw values, so that a route using them is told so rather than
 * routed without them.
 */
@Group(GatewayApi.GROUP)
@Version(GatewayApi.V1)
@Kind(GatewayApi.HTTP_ROUTE)
@Plural("httproutes")
public class HttpRouteResource extends CustomResource<HttpRouteResource.Spec, RouteStatus> implements Namespaced {

  private static final long serialVersionUID = 1L;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Spec(List<ParentRef> parentRefs, List<String> hostnames, List<Rule> rules)
      implements RouteSpec<Rule> {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Rule(String name, List<Match> matches, List<Filter> filters, List<BackendRef> backendRefs,
      Map<String, Object> timeouts, Map<String, Object> retry, Map<String, Object> sessionPersistence) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Match(PathMatch path, List<HeaderMatch> headers, List<QueryParamMatch> queryParams,
      String method) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record QueryParamMatch(String type, String name, String value) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PathMatch(String type, String value) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record HeaderMatch(String type, String name, String value) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Filter(String type, HeaderFilter requestHeaderModifier, HeaderFilter responseHeaderModifier,
      RedirectFilter requestRedirect, RewriteFilter urlRewrite, CorsFilter cors, MirrorFilter requestMirror) {

    /** A filter that neither mirrors nor sets CORS. */
    public Filter(String type, HeaderFilter requestHeaderModifier, HeaderFilter responseHeaderModifier,
        RedirectFilter requestRedirect, RewriteFilter urlRewrite) {
      this(type, requestHeaderModifier, responseHeaderModifier, requestRedirect, urlRewrite, null, null);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record CorsFilter(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
      List<String> exposeHeaders, Boolean allowCredentials, Integer maxAge) {
  }

  /** {@code RequestMirror}: the backend that gets copies, and which share of requests, as percent or fraction. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record MirrorFilter(BackendRef backendRef, Integer percent, Fraction fraction) {
  }

  /** A share of requests: {@code numerator} out of {@code denominator} (100 when unset). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Fraction(Integer numerator, Integer denominator) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RedirectFilter(String scheme, String hostname, PathModifier path, Integer port, Integer statusCode) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RewriteFilter(String hostname, PathModifier path) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PathModifier(String type, String replaceFullPath, String replacePrefixMatch) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record HeaderFilter(List<Header> set, List<Header> add, List<String> remove) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Header(String name, String value) {
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record BackendRef(String group, String kind, String name, String namespace, Integer port, Integer weight,
      List<Filter> filters) {
  }
}
