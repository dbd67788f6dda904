package dev.gantry.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.proxy.testing.TestCertificates;
import dev.gantry.proxy.testing.TestCertificates.Authority;
import dev.gantry.proxy.testing.TestCertificates.Issued;
import dev.gantry.proxy.testing.TestCertificates.KeyFormat;
import dev.gantry.proxy.testing.TestCertificates.KeyType;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PEM in every common layout, and errors that name the file without ever showing key material. */
class PemCertificatesTest {

  static Authority ca;
  static Issued rsa;
  static Issued ec;

  @BeforeAll
  static void issue() {
    ca = TestCertificates.authority("Test Root");
    rsa = ca.issue("rsa.example.com", KeyType.RSA, "rsa.example.com", "*.rsa.example.com");
    ec = ca.intermediate("Test Intermediate").issue("ec.example.com", KeyType.EC, "ec.example.com");
  }

  static PemMaterial pem(Issued issued, KeyFormat format) {
    return pem(issued.chainPem(), issued.keyPem(format));
  }

  static PemMaterial pem(String cert, String key) {
    return new PemMaterial("certs/site.pem", cert.getBytes(StandardCharsets.US_ASCII), "certs/site.key",
        key.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void readsAnRsaKeyInPkcs1() throws Exception {
    assertThat(rsa.keyPem(KeyFormat.TRADITIONAL)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    ServerCertificate c = PemCertificates.load(pem(rsa, KeyFormat.TRADITIONAL));
    assertThat(c.key().getAlgorithm()).isEqualTo("RSA");
    assertThat(c.names()).containsExactly("rsa.example.com", "*.rsa.example.com");
  }

  @Test
  void readsAnRsaKeyInPkcs8() throws Exception {
    assertThat(rsa.keyPem(KeyFormat.PKCS8)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(PemCertificates.load(pem(rsa, KeyFormat.PKCS8)).key().getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void readsAnEcKeyInSec1AndPkcs8WithItsChain() throws Exception {
    assertThat(ec.keyPem(KeyFormat.TRADITIONAL)).startsWith("-----BEGIN EC PRIVATE KEY-----");
    ServerCertificate sec1 = PemCertificates.load(pem(ec, KeyFormat.TRADITIONAL));
    assertThat(sec1.chain()).hasSize(2);
    assertThat(sec1.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=ec.example.com");
    assertThat(PemCertificates.load(pem(ec, KeyFormat.PKCS8)).key().getAlgorithm()).isEqualTo("EC");
    // The public key inside a SEC1 key is optional.
    assertThat(PemCertificates.load(pem(ec.chainPem(), TestCertificates.sec1(ec.keys(), false))).key()).isNotNull();
  }

  @Test
  void readsEcParametersBeforeTheKeyAsOpensslEcparamWritesThem() throws Exception {
    String params = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
    assertThat(PemCertificates.load(pem(ec.chainPem(), params + ec.keyPem(KeyFormat.TRADITIONAL))).key())
        .isNotNull();
  }

  @Test
  void acceptsOneFileHoldingCertificateAndKey() throws Exception {
    String both = ec.chainPem() + ec.keyPem(KeyFormat.PKCS8);
    assertThat(PemCertificates.load(pem(both, both)).names()).containsExactly("ec.example.com");
  }

  @Test
  void aKeyOfAnotherCertificateIsRefusedNamingBothFiles() {
    assertThatThrownBy(() -> PemCertificates.load(pem(ec.chainPem(), rsa.keyPem(KeyFormat.PKCS8))))
        .isInstanceOf(CertificateLoadException.class)
        .hasMessageContaining("certs/site.key: the private key does not match the certificate in certs/site.pem");
    Issued other = ca.issue("other", KeyType.EC, "other");
    assertThatThrownBy(() -> PemCertificates.load(pem(ec.chainPem(), other.keyPem(KeyFormat.TRADITIONAL))))
        .hasMessageContaining("certs/site.key: the private key does not match");
  }

  @Test
  void unreadableInputsNameTheFileAndShowNoKeyMaterial() {
    String key = ec.keyPem(KeyFormat.PKCS8);
    String body = key.split("\n")[1];
    String corrupt = "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(new byte[64])
        + "\n-----END PRIVATE KEY-----\n";
    assertThatThrownBy(() -> PemCertificates.load(pem(ec.chainPem(), corrupt)))
        .hasMessageStartingWith("certs/site.key: not a readable PEM private key")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(body));
    assertThatThrownBy(() -> PemCertificates.load(pem(ec.chainPem(), "hello")))
        .hasMessageStartingWith("certs/site.key: no PEM private key");
    assertThatThrownBy(() -> PemCertificates.load(pem("not a certificate", key)))
        .hasMessageStartingWith("certs/site.pem: no PEM certificate");
    assertThatThrownBy(() -> PemCertificates.load(pem(
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", key)))
        .hasMessageStartingWith("certs/site.pem: not a readable PEM certificate");
  }

  @Test
  void anEncryptedKeyIsRefusedWithAHint() throws Exception {
    StringWriter pkcs8 = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(pkcs8)) {
      w.writeObject(new JcaPKCS8Generator(ec.keys().getPrivate(),
          new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(new BouncyCastleProvider())
              .setPassword("secret".toCharArray()).build()));
    }
    assertThat(pkcs8.toString()).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    assertThatThrownBy(() -> PemCertificates.load(pem(ec.chainPem(), pkcs8.toString())))
        .hasMessageContaining("certs/site.key: the private key is encrypted");
    StringWriter traditional = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(traditional)) {
      w.writeObject(ec.keys().getPrivate(), new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(new BouncyCastleProvider())
          .build("secret".toCharArray()));
    }
    assertThat(traditional.toString()).contains("Proc-Type: 4,ENCRYPTED");
    assertThatThrownBy(() -> PemCertificates.load(pem(ec.chainPem(), traditional.toString())))
        .hasMessageContaining("certs/site.key: the private key is encrypted");
  }

  @Test
  void materialNeverPrintsItsKey() {
    PemMaterial m = pem(ec, KeyFormat.PKCS8);
    assertThat(m.toString()).doesNotContain("PRIVATE").contains("certs/site.key");
  }

  @Test
  void theDefaultCertificateIsSelfSignedAndSaysWhatItIs() throws Exception {
    ServerCertificate c = DefaultCertificate.generate();
    assertThat(c.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=Gantry default certificate");
    c.leaf().verify(c.leaf().getPublicKey());
  }
}
