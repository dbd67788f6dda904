package dev.gantry.proxy.tls;

import dev.gantry.proxy.tls.pem.CommonNames;
import dev.gantry.proxy.tls.pem.EncryptedKeyException;
import dev.gantry.proxy.tls.pem.PemBlock;
import dev.gantry.proxy.tls.pem.PemBlocks;
import dev.gantry.proxy.tls.pem.PrivateKeys;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Reads PEM certificates and keys in every common form, with the JDK alone: a certificate file holding the
 * leaf and its chain, and a key file holding a PKCS#1 ({@code RSA PRIVATE KEY}), SEC1 ({@code EC PRIVATE
 * KEY}, with or without {@code EC PARAMETERS}) or PKCS#8 ({@code PRIVATE KEY}) key. One file may hold both.
 * Every error names the file; none contains key material.
 */
public final class PemCertificates {

  /** Subject alternative name type of a DNS name (RFC 5280). */
  private static final int SAN_DNS = 2;

  private PemCertificates() {
  }

  /** Parses {@code pem} and checks that the key belongs to the leaf certificate. */
  public static ServerCertificate load(PemMaterial pem) throws CertificateLoadException {
    List<X509Certificate> chain = certificates(pem.certificateSource(), pem.certificatePem());
    if (chain.isEmpty()) {
      throw new CertificateLoadException(pem.certificateSource() + ": no PEM certificate (BEGIN CERTIFICATE) found");
    }
    PrivateKey key = privateKey(pem.keySource(), pem.keyPem());
    if (key == null) {
      throw new CertificateLoadException(pem.keySource() + ": no PEM private key (BEGIN PRIVATE KEY, "
          + "BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY) found");
    }
    checkMatch(key, chain.get(0), pem);
    return new ServerCertificate(chain, key, names(chain.get(0)), pem.certificateSource());
  }

  static List<X509Certificate> certificates(String source, byte[] pem) throws CertificateLoadException {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory factory = null;
      for (PemBlock block : PemBlocks.read(pem)) {
        if (block.label().equals("CERTIFICATE") || block.label().equals("X509 CERTIFICATE")) {
          factory = factory == null ? CertificateFactory.getInstance("X.509") : factory;
          out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
        }
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new CertificateLoadException(source + ": not a readable PEM certificate: " + safeMessage(e), e);
    }
    return out;
  }

  static PrivateKey privateKey(String source, byte[] pem) throws CertificateLoadException {
    try {
      return PrivateKeys.first(PemBlocks.read(pem));
    } catch (EncryptedKeyException e) {
      throw new CertificateLoadException(source + ": the private key is encrypted; give it unencrypted "
          + "(openssl pkey -in KEY -out KEY.plain) and protect the file instead");
    } catch (GeneralSecurityException | RuntimeException e) {
      // These messages name the structure that is wrong at most, never key bytes.
      throw new CertificateLoadException(source + ": not a readable PEM private key: " + safeMessage(e), e);
    }
  }

  /** Signs with the key and verifies with the certificate: proves the pair belongs together for any key type. */
  private static void checkMatch(PrivateKey key, X509Certificate leaf, PemMaterial pem)
      throws CertificateLoadException {
    PublicKey publicKey = leaf.getPublicKey();
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      throw mismatch(pem, "a " + key.getAlgorithm() + " key for a " + publicKey.getAlgorithm() + " certificate");
    }
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
      default -> throw new CertificateLoadException(pem.keySource() + ": unsupported key type "
          + key.getAlgorithm() + " (use RSA or EC)");
    };
    byte[] probe = "gantry key check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw mismatch(pem, "a different key pair");
      }
    } catch (GeneralSecurityException e) {
      throw mismatch(pem, safeMessage(e));
    }
  }

  private static CertificateLoadException mismatch(PemMaterial pem, String detail) {
    return new CertificateLoadException(pem.keySource() + ": the private key does not match the certificate in "
        + pem.certificateSource() + " (" + detail + ")");
  }

  /** DNS subject alternative names, else the subject's common name; lower case. */
  static List<String> names(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() >= 2 && san.get(0) instanceof Integer type && type == SAN_DNS
              && san.get(1) instanceof String name) {
            out.add(name.toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // Unreadable extension: fall back to the common name.
    }
    if (out.isEmpty()) {
      String cn = CommonNames.of(cert.getSubjectX500Principal());
      if (cn != null) {
        out.add(cn.toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  private static String safeMessage(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
