package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * TLS termination settings of an HTTPS listener. {@code sniHosts} split the listener by host, as Gateway API
 * listeners sharing a port do: a request whose {@code Host} falls under another of them (the most specific one
 * matching, or none) than its connection's SNI is answered 421 Misdirected Request.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ListenerTls(
    List<CertificateRef> certificates,
    String minVersion,
    List<String> alpn,
    ClientCertificates clientCertificates,
    List<String> sniHosts) {

  static final int MAX_SNI_HOSTS = 64;

  /** Without client certificates. */
  public ListenerTls(List<CertificateRef> certificates, String minVersion, List<String> alpn) {
    this(certificates, minVersion, alpn, null, null);
  }

  /** Not split by host. */
  public ListenerTls(List<CertificateRef> certificates, String minVersion, List<String> alpn,
      ClientCertificates clientCertificates) {
    this(certificates, minVersion, alpn, clientCertificates, null);
  }

  public List<String> sniHostsOrEmpty() {
    return sniHosts == null ? List.of() : sniHosts;
  }

  public List<CertificateRef> certificatesOrEmpty() {
    return certificates == null ? List.of() : certificates;
  }
}
