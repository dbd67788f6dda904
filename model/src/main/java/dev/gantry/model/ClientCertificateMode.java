package dev.gantry.model;

/** Whether an HTTPS listener requires a client certificate or only asks for one. */
public enum ClientCertificateMode {
  /** The handshake fails without a certificate the CA bundle verifies. */
  Require,
  /**
   * A certificate is asked for: a client without one is served; a client whose certificate fails
   * verification completes the handshake, and every request it sends is answered 403.
   */
  Optional
}
