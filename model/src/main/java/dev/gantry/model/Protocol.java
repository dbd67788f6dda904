package dev.gantry.model;

/** What a listener speaks. */
public enum Protocol {
  /** Plain HTTP/1.1, routed by host and path. */
  HTTP,
  /** TLS terminated by the proxy, then routed as HTTP. */
  HTTPS,
  /** Plain TCP passthrough to the listener's default backend. */
  TCP,
  /**
   * TLS routed by the SNI of the ClientHello: passed through without decrypting, or, with the listener's
   * {@code tls}, terminated and relayed to the backend as plain bytes.
   */
  TLS;

  public boolean isHttp() {
    return this == HTTP || this == HTTPS;
  }
}
