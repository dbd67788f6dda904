package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Client certificate validation (mutual TLS) on an HTTPS listener.
 *
 * @param mode {@code Require} or {@code Optional}
 * @param caFile PEM bundle of the certificate authorities that issue client certificates
 * @param depth most certificate authorities above the client's certificate, the trusted one included
 *     (1: issued directly by a CA of the bundle); default {@link #DEFAULT_DEPTH}
 * @param crlFile optional certificate revocation lists (PEM or DER); when set, every CA of a chain needs one
 * @param forward whether the backend gets the verified certificate in {@code X-Forwarded-Client-Cert};
 *     default true
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientCertificates(
    ClientCertificateMode mode,
    String caFile,
    Integer depth,
    String crlFile,
    Boolean forward) {

  public static final int DEFAULT_DEPTH = 3;
  public static final int MAX_DEPTH = 10;

  public int depthOrDefault() {
    return depth == null ? DEFAULT_DEPTH : depth;
  }

  public boolean forwardOrDefault() {
    return forward == null || forward;
  }
}
