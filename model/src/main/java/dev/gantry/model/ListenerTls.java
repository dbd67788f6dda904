package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** TLS termination settings of an HTTPS listener. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ListenerTls(
    List<CertificateRef> certificates,
    String minVersion,
    List<String> alpn,
    ClientCertificates clientCertificates) {

  /** Without client certificates. */
  public ListenerTls(List<CertificateRef> certificates, String minVersion, List<String> alpn) {
    this(certificates, minVersion, alpn, null);
  }

  public List<CertificateRef> certificatesOrEmpty() {
    return certificates == null ? List.of() : certificates;
  }
}
