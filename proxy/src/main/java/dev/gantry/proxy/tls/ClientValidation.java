package dev.gantry.proxy.tls;

import dev.gantry.model.ClientCertificateMode;
import io.netty.handler.ssl.ClientAuth;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * An HTTPS listener's client certificate settings, compiled.
 *
 * @param fingerprint digest of the CA bundle, revocation lists and depth: a TLS context is reused across a
 *     reload only while it is unchanged
 */
public record ClientValidation(ClientCertificateMode mode, ClientCertificateVerifier verifier, boolean forward,
    String fingerprint) {

  /** What a connection's client certificate turned out to be. */
  public enum Result {
    /** The client sent none (possible only when optional), or one not trusted where that falls back to none. */
    NONE,
    VERIFIED,
    /** Sent, but not trusted: the connection's requests are refused. */
    REJECTED
  }

  ClientAuth clientAuth() {
    return mode == ClientCertificateMode.Require ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL;
  }

  ClientCertificateTrust trustManager() {
    return new ClientCertificateTrust(verifier, mode == ClientCertificateMode.Require);
  }

  /** The client certificate chain of an established session, or null when the client sent none. */
  public static X509Certificate[] peerChain(SSLSession session) {
    try {
      Certificate[] certs = session.getPeerCertificates();
      X509Certificate[] chain = new X509Certificate[certs.length];
      for (int i = 0; i < certs.length; i++) {
        chain[i] = (X509Certificate) certs[i];
      }
      return chain.length == 0 ? null : chain;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  /**
   * Judges the chain of an established connection. Required chains were verified by the handshake itself;
   * optional ones are verified here, once per connection; with {@code InsecureFallback} an untrusted one counts
   * as none.
   */
  public Result check(X509Certificate[] chain) {
    if (chain == null) {
      return Result.NONE;
    }
    if (mode == ClientCertificateMode.Require) {
      return Result.VERIFIED;
    }
    try {
      verifier.verify(chain);
      return Result.VERIFIED;
    } catch (CertificateException e) {
      return mode == ClientCertificateMode.InsecureFallback ? Result.NONE : Result.REJECTED;
    }
  }
}
