package dev.gantry.model;

/**
 * What a backend speaks on its connections. More protocols (HTTP/2) join this list as the proxy learns them.
 */
public enum BackendProtocol {
  /** HTTP/1.1 in clear text. */
  HTTP1,
  /** HTTP/1.1 over TLS: the proxy re-encrypts, verifying the backend's certificate. */
  TLS,
  /** HTTP/2 in clear text, with prior knowledge (h2c). */
  H2C,
  /** HTTP/2 over TLS, negotiated with ALPN. */
  H2
}
