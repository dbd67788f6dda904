package dev.gantry.model;

/**
 * What a backend speaks on its connections.
 */
public enum BackendProtocol {
  /** HTTP/1.1 in clear text. */
  HTTP1,
  /** HTTP/1.1 over TLS: the proxy re-encrypts, verifying the backend's certificate. */
  TLS,
  /** HTTP/2 in clear text, with prior knowledge (h2c): streams multiplexed over few connections. */
  H2C,
  /** HTTP/2 over TLS, negotiated with ALPN {@code h2}, verifying the backend's certificate as {@link #TLS}. */
  H2;

  /** Whether the backend speaks HTTP/2, so one connection carries many exchanges at once. */
  public boolean isHttp2() {
    return this == H2C || this == H2;
  }
}
