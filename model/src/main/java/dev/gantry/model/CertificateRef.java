package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A certificate with its private key: a {@code kubernetes.io/tls} Secret in a cluster, or PEM files
 * standalone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CertificateRef(
    String secretName,
    String certFile,
    String keyFile) {
}
