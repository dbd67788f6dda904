package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How the proxy connects to a TLS backend: the CA bundle that verifies the backend's certificate, the name
 * sent as SNI and verified ({@code serverName}, by default the endpoint's host name), other names the
 * certificate may carry instead (host names, IP addresses, or URIs such as SPIFFE IDs), and an optional client
 * certificate for backends that require one. {@code verifyServerName: false} sends {@code serverName} as SNI
 * only: the certificate must then carry one of {@code subjectAltNames} (Gateway API's BackendTLSPolicy with
 * {@code subjectAltNames}). {@code insecureSkipVerify} turns verification off, for tests only.
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
    SecretRef clientCertificateRef,
    Boolean verifyServerName) {

  /** With the server name verified, as by default. */
  public BackendTls(String caFile, String serverName, List<String> subjectAltNames, String certificateFile,
      String keyFile, Boolean insecureSkipVerify, List<ObjectKeyRef> caCertificateRefs,
      SecretRef clientCertificateRef) {
    this(caFile, serverName, subjectAltNames, certificateFile, keyFile, insecureSkipVerify, caCertificateRefs,
        clientCertificateRef, null);
  }

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

  public boolean verifyServerNameOrDefault() {
    return verifyServerName == null || verifyServerName;
  }

  public boolean insecureSkipVerifyOrDefault() {
    return insecureSkipVerify != null && insecureSkipVerify;
  }
}
