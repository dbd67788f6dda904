package dev.gantry.model;

/** Whether an HTTPS listener requires a client certificate, only asks for one, or asks and serves everyone. */
public enum ClientCertificateMode {
  /** The handshake fails without a certificate the CA bundle verifies. */
  Require,
  /**
   * A certificate is asked for: a client without one is served; a client whose certificate fails
   * verification completes the handshake, and every request it sends is answered 403.
   */
  Optional,
  /**
   * A certificate is asked for, and every client is served: one without a certificate, or whose certificate
   * fails verification, as anonymous (nothing is forwarded); only a verified certificate is forwarded. The
   * backend decides: Gateway API's {@code AllowInsecureFallback}, for migrations and tests.
   */
  InsecureFallback
}
