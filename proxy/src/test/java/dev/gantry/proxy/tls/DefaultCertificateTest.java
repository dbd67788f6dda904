package dev.gantry.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gantry.proxy.testing.ExternalCommand;
import java.security.interfaces.ECPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The self-signed certificate an HTTPS listener without one serves, field by field. */
class DefaultCertificateTest {

  @Test
  void isAServerCertificateValidForAYearThatSaysWhatItIs() throws Exception {
    Instant before = Instant.now();
    ServerCertificate c = DefaultCertificate.generate();
    X509Certificate leaf = c.leaf();
    assertThat(leaf.getVersion()).isEqualTo(3);
    assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=Gantry default certificate");
    assertThat(leaf.getIssuerX500Principal()).isEqualTo(leaf.getSubjectX500Principal());
    assertThat(leaf.getSerialNumber().signum()).isPositive();
    assertThat(leaf.getNotBefore().toInstant())
        .isCloseTo(before.minus(Duration.ofHours(1)), within(5, ChronoUnit.SECONDS));
    assertThat(leaf.getNotAfter().toInstant())
        .isCloseTo(before.plus(Duration.ofDays(365)), within(5, ChronoUnit.SECONDS));
    assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(((ECPublicKey) leaf.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
    assertThat(c.key().getAlgorithm()).isEqualTo("EC");
    assertThat(c.names()).isEmpty();
  }

  @Test
  void carriesTheThreeExtensionsWithTheirCriticality() {
    X509Certificate leaf = DefaultCertificate.generate().leaf();
    assertThat(leaf.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
    assertThat(leaf.getNonCriticalExtensionOIDs()).containsExactly("2.5.29.37");
    assertThat(leaf.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    assertThat(leaf.getExtensionValue("2.5.29.19")).as("basicConstraints present").isNotNull();
    boolean[] usage = leaf.getKeyUsage();
    assertThat(usage[0]).as("digitalSignature").isTrue();
    for (int i = 1; i < usage.length; i++) {
      assertThat(usage[i]).as("key usage bit %d", i).isFalse();
    }
    assertThat(List.copyOf(extendedKeyUsage(leaf))).containsExactly("1.3.6.1.5.5.7.3.1");
  }

  @Test
  void isSignedByItsOwnKey() throws Exception {
    ServerCertificate c = DefaultCertificate.generate();
    c.leaf().verify(c.leaf().getPublicKey());
    c.leaf().checkValidity();
  }

  @Test
  void opensslReadsItAsWritten() throws Exception {
    Assumptions.assumeTrue(ExternalCommand.available("openssl"), "openssl is not installed");
    X509Certificate leaf = DefaultCertificate.generate().leaf();
    String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(leaf.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
    ExternalCommand.Result r = ExternalCommand.run(List.of("openssl", "x509", "-noout", "-text"), pem);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout().replaceAll("\\s+", " "))
        .contains("Version: 3 (0x2)")
        .contains("Signature Algorithm: ecdsa-with-SHA256")
        .contains("Subject: CN = Gantry default certificate")
        .contains("NIST CURVE: P-256")
        .contains("X509v3 Basic Constraints: critical CA:FALSE")
        .contains("X509v3 Key Usage: critical Digital Signature")
        .contains("X509v3 Extended Key Usage: TLS Web Server Authentication");
  }

  private static List<String> extendedKeyUsage(X509Certificate leaf) {
    try {
      return leaf.getExtendedKeyUsage();
    } catch (java.security.cert.CertificateParsingException e) {
      throw new AssertionError(e);
    }
  }
}
