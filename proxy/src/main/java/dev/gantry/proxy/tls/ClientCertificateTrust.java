package dev.gantry.proxy.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The handshake's view of client certificates. Required: a chain the verifier refuses fails the handshake
 * (a TLS alert). Optional: every chain passes the handshake, and the connection is judged once it is
 * established ({@link ClientValidation#check}), so a bad certificate gets 403s rather than an alert.
 */
final class ClientCertificateTrust extends X509ExtendedTrustManager {

  private final ClientCertificateVerifier verifier;
  private final boolean required;

  ClientCertificateTrust(ClientCertificateVerifier verifier, boolean required) {
    this.verifier = verifier;
    this.required = required;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    if (required) {
      verifier.verify(chain);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("a listener verifies clients, not servers");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return verifier.authorities();
  }
}
