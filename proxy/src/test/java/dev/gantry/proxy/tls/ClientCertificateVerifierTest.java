package dev.gantry.proxy.tls;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.proxy.testing.TestCertificates;
import dev.gantry.proxy.testing.TestCertificates.Authority;
import dev.gantry.proxy.testing.TestCertificates.Issued;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

class ClientCertificateVerifierTest {

  static final Authority ROOT = TestCertificates.authority("Verifier Root");
  static final Authority ISSUING = ROOT.intermediate("Verifier Issuing");
  static final Issued BOB = ISSUING.issueClient("bob", null);

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static ClientCertificateVerifier verifier(String crlPem, int depth) throws CertificateLoadException {
    return ClientCertificateVerifier.of("ca.pem", bytes(ROOT.certificatePem()), "ca.crl",
        crlPem == null ? null : bytes(crlPem), depth);
  }

  static X509Certificate[] chain(Issued issued) {
    return issued.chain().toArray(new X509Certificate[0]);
  }

  @Test
  void aBundleWithoutCertificatesOrAnUnreadableListIsRefusedNamingTheFile() {
    assertThatThrownBy(() -> ClientCertificateVerifier.of("clients.pem", bytes("hello\n"), null, null, 3))
        .isInstanceOf(CertificateLoadException.class)
        .hasMessage("clients.pem: no PEM certificate (BEGIN CERTIFICATE) found");
    assertThatThrownBy(() -> verifier("-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n", 3))
        .isInstanceOf(CertificateLoadException.class)
        .hasMessageStartingWith("ca.crl: ");
  }

  @Test
  void withRevocationListsEveryAuthorityOfTheChainNeedsOne() throws Exception {
    ClientCertificateVerifier rootListOnly = verifier(ROOT.crlPem(), 3);
    assertThatThrownBy(() -> rootListOnly.verify(chain(BOB))).isInstanceOf(CertificateException.class);

    ClientCertificateVerifier both = verifier(ROOT.crlPem() + ISSUING.crlPem(), 3);
    assertThatCode(() -> both.verify(chain(BOB))).doesNotThrowAnyException();

    ClientCertificateVerifier intermediateRevoked = verifier(ROOT.crlPem(ISSUING.certificate()) + ISSUING.crlPem(), 3);
    // Path building reports every failure alike ("unable to find valid certification path").
    assertThatThrownBy(() -> intermediateRevoked.verify(chain(BOB))).isInstanceOf(CertificateException.class);
  }

  @Test
  void depthCountsTheAuthoritiesAboveTheClientsCertificate() throws Exception {
    assertThatThrownBy(() -> verifier(null, 1).verify(chain(BOB))).isInstanceOf(CertificateException.class);
    assertThatCode(() -> verifier(null, 2).verify(chain(BOB))).doesNotThrowAnyException();
  }

  @Test
  void aClientThatSendsOnlyItsCertificateWithoutTheIntermediateIsRefused() {
    assertThatThrownBy(() -> verifier(null, 3).verify(new X509Certificate[] {BOB.certificate()}))
        .isInstanceOf(CertificateException.class);
  }
}
