package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How the proxy connects to a TLS backend: the CA bundle that verifies the backend's certificate, the name
 * sent as SNI and verified ({@code serverName}, by default the endpoint's host name), other names the
 * certificate may carry instead, and an optional client certificate for backends that require one.
 * {@code insecureSkipVerify} turns verification off, for tests only.
 *
 * <p>Standalone, the CA bundle and client certificate are files ({@code caFile}, {@code certificateFile} and
 * {@code keyFile}); in a cluster they are references ({@code caCertificateRefs}, {@code clientCertificateRef}),
 * which the operator turns into keys of the fleet's bundle Secret, named by those same file fields.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackendTls(
    String caFile,
    String serverName,
    List<String> subjectAltNames,
    String certificateFile,
    String keyFile,
    Boolean insecureSkipVerify,
    List<ObjectKeyRef> caCertificateRefs,
    SecretRef clientCertificateRef) {

  /** With files only, as standalone. */
  public BackendTls(String caFile, String serverName, List<String> subjectAltNames, String certificateFile,
      String keyFile, Boolean insecureSkipVerify) {
    this(caFile, serverName, subjectAltNames, certificateFile, keyFile, insecureSkipVerify, null, null);
  }

  public List<String> subjectAltNamesOrEmpty() {
    return subjectAltNames == null ? List.of() : subjectAltNames;
  }

  public List<ObjectKeyRef> caCertificateRefsOrEmpty() {
    return caCertificateRefs == null ? List.of() : caCertificateRefs;
  }

  public boolean insecureSkipVerifyOrDefault() {
    return insecureSkipVerify != null && insecureSkipVerify;
  }
}
