package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Client certificate validation (mutual TLS) on an HTTPS listener.
 *
 * @param mode {@code Require} or {@code Optional}
 * @param caFile PEM bundle of the certificate authorities that issue client certificates (standalone)
 * @param depth most certificate authorities above the client's certificate, the trusted one included
 *     (1: issued directly by a CA of the bundle); default {@link #DEFAULT_DEPTH}
 * @param crlFile optional certificate revocation lists (PEM or DER); when set, every CA of a chain needs one
 * @param forward whether the backend gets the verified certificate in {@code X-Forwarded-Client-Cert};
 *     default true
 * @param caCertificateRefs in a cluster, instead of {@code caFile}: ConfigMap or Secret keys holding the CA
 *     bundle (default key {@code ca.crt})
 * @param crlRef in a cluster, instead of {@code crlFile}: a ConfigMap or Secret key holding the revocation
 *     lists (default key {@code ca.crl})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientCertificates(
    ClientCertificateMode mode,
    String caFile,
    Integer depth,
    String crlFile,
    Boolean forward,
    List<ObjectKeyRef> caCertificateRefs,
    ObjectKeyRef crlRef) {

  public static final int DEFAULT_DEPTH = 3;
  public static final int MAX_DEPTH = 10;

  /** With files only, as standalone. */
  public ClientCertificates(ClientCertificateMode mode, String caFile, Integer depth, String crlFile,
      Boolean forward) {
    this(mode, caFile, depth, crlFile, forward, null, null);
  }

  public List<ObjectKeyRef> caCertificateRefsOrEmpty() {
    return caCertificateRefs == null ? List.of() : caCertificateRefs;
  }

  public int depthOrDefault() {
    return depth == null ? DEFAULT_DEPTH : depth;
  }

  public boolean forwardOrDefault() {
    return forward == null || forward;
  }
}
