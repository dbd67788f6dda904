package dev.gantry.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** How a backend certificate's names are matched, and how a failed handshake is explained. */
class BackendTrustManagerTest {

  @Test
  void aWildcardStandsForExactlyOneLeftMostLabel() {
    assertThat(BackendTrustManager.matches("api.internal", "api.internal")).isTrue();
    assertThat(BackendTrustManager.matches("*.internal", "api.internal")).isTrue();
    assertThat(BackendTrustManager.matches("*.internal", "a.api.internal")).isFalse();
    assertThat(BackendTrustManager.matches("*.internal", "internal")).isFalse();
    assertThat(BackendTrustManager.matches("api.internal", "*.internal")).isFalse();
    assertThat(BackendTrustManager.matches("10.0.0.7", "10.0.0.7")).isTrue();
  }

  @Test
  void theReasonIsTheMostTellingCauseInTheChain() {
    SSLHandshakeException mismatch = handshake(new BackendTrustManager.NameMismatchException(
        "certificate does not match serverName \"a\" (it names b)"));
    assertThat(BackendTlsClient.reason(mismatch)).isEqualTo("certificate does not match serverName \"a\" (it names b)");

    CertificateException expired = new CertificateException("PKIX path validation failed",
        new CertPathValidatorException("validity check failed", new CertificateExpiredException("NotAfter: x")));
    assertThat(BackendTlsClient.reason(handshake(expired))).isEqualTo("certificate expired (NotAfter: x)");

    CertificateException unknown = new CertificateException("PKIX path building failed",
        new Exception("unable to find valid certification path to requested target"));
    assertThat(BackendTlsClient.reason(handshake(unknown)))
        .startsWith("certificate not issued by a CA of caFile");

    assertThat(BackendTlsClient.reason(new SSLHandshakeException("Received fatal alert: handshake_failure")))
        .isEqualTo("Received fatal alert: handshake_failure");
  }

  private static SSLHandshakeException handshake(Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException("General SSLEngine problem");
    e.initCause(cause);
    return e;
  }
}
