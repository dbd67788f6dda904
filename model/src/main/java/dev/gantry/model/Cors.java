package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Cross-origin resource sharing for a route (Gateway API's CORS filter): the proxy answers a preflight request
 * itself, and adds the CORS response headers to the backend's answers to requests from an allowed origin.
 * {@code allowOrigins}: {@code *}, or {@code scheme://host[:port]} whose host may begin with {@code *.}.
 * {@code allowMethods} and {@code allowHeaders}: names, or {@code *} alone for whatever the preflight asks.
 * {@code maxAge}: seconds a browser may keep a preflight's answer (none: not said).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Cors(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
    List<String> exposeHeaders, Boolean allowCredentials, Integer maxAge) {

  public List<String> allowOriginsOrEmpty() {
    return allowOrigins == null ? List.of() : allowOrigins;
  }

  public List<String> allowMethodsOrEmpty() {
    return allowMethods == null ? List.of() : allowMethods;
  }

  public List<String> allowHeadersOrEmpty() {
    return allowHeaders == null ? List.of() : allowHeaders;
  }

  public List<String> exposeHeadersOrEmpty() {
    return exposeHeaders == null ? List.of() : exposeHeaders;
  }

  public boolean allowCredentialsOrDefault() {
    return Boolean.TRUE.equals(allowCredentials);
  }
}
