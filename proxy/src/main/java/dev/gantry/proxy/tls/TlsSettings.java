package dev.gantry.proxy.tls;

import dev.gantry.model.ListenerTls;
import java.util.List;

/**
 * The protocol settings of an HTTPS listener, or of a TLS listener that terminates, apart from its certificates.
 *
 * @param protocols TLS versions accepted, newest first ({@code TLSv1.3}, {@code TLSv1.2})
 * @param alpn application protocols offered, in order of preference
 */
public record TlsSettings(List<String> protocols, List<String> alpn) {

  public static final String H2 = "h2";
  public static final String HTTP_1_1 = "http/1.1";
  /** Without {@code alpn}, HTTP/2 is offered to clients that support it. */
  public static final List<String> DEFAULT_ALPN = List.of(H2, HTTP_1_1);
  /** Longest ClientHello accepted; real ones, post-quantum key shares included, stay well below it. */
  public static final int MAX_CLIENT_HELLO = 16 * 1024;

  /**
   * Mozilla's "intermediate" TLS 1.2 suites (ECDHE with AEAD ciphers only), then TLS 1.3's, which the JDK
   * engine needs named to enable TLS 1.3 at all. Suites an engine does not know are left out.
   */
  public static final List<String> CIPHERS = List.of(
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256");

  public TlsSettings {
    protocols = List.copyOf(protocols);
    alpn = List.copyOf(alpn);
  }

  /** The settings of {@code tls} (null: every default). */
  public static TlsSettings of(ListenerTls tls) {
    String min = tls == null || tls.minVersion() == null ? "1.2" : tls.minVersion();
    List<String> protocols = min.equals("1.3") ? List.of("TLSv1.3") : List.of("TLSv1.3", "TLSv1.2");
    List<String> alpn = tls == null || tls.alpn() == null || tls.alpn().isEmpty() ? DEFAULT_ALPN : tls.alpn();
    return new TlsSettings(protocols, alpn);
  }

  /**
   * The settings of a TLS listener's {@code tls}, which terminates TLS and relays bytes that are no HTTP: no
   * application protocol is offered.
   */
  public static TlsSettings terminating(ListenerTls tls) {
    return new TlsSettings(of(tls).protocols(), List.of());
  }

  public boolean offersH2() {
    return alpn.contains(H2);
  }
}
