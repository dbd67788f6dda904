package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How the proxy connects to a TLS backend: the CA bundle that verifies the backend's certificate, the name
 * sent as SNI and verified ({@code serverName}, by default the endpoint's host name), other names the
 * certificate may carry instead, and an optional client certificate for backends that require one.
 * {@code insecureSkipVerify} turns verification off, for tests only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackendTls(
    String caFile,
    String serverName,
    List<String> subjectAltNames,
    String certificateFile,
    String keyFile,
    Boolean insecureSkipVerify) {

  public List<String> subjectAltNamesOrEmpty() {
    return subjectAltNames == null ? List.of() : subjectAltNames;
  }

  public boolean insecureSkipVerifyOrDefault() {
    return insecureSkipVerify != null && insecureSkipVerify;
  }
}
