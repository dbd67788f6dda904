package dev.gantry.proxy.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM certificates and keys in every common form, with BouncyCastle: a certificate file holding the
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
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = parser(pem)) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof X509CertificateHolder holder) {
          out.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new CertificateLoadException(source + ": not a readable PEM certificate: " + safeMessage(e), e);
    }
    return out;
  }

  static PrivateKey privateKey(String source, byte[] pem) throws CertificateLoadException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = parser(pem)) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof PEMKeyPair pair) {
          // The public half is optional in SEC1 (EC) keys; the private key info is always there.
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        } else if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        } else if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new CertificateLoadException(source + ": the private key is encrypted; give it unencrypted "
              + "(openssl pkey -in KEY -out KEY.plain) and protect the file instead");
        } else if (o instanceof ASN1ObjectIdentifier) {
          // EC PARAMETERS before an EC key, as `openssl ecparam -genkey` writes it.
          continue;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Parser messages quote the offending structure at most, never key bytes.
      throw new CertificateLoadException(source + ": not a readable PEM private key: " + safeMessage(e), e);
    }
    return null;
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
      case "Ed25519", "EdDSA" -> "Ed25519";
      case "Ed448" -> "Ed448";
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
      String cn = commonName(cert.getSubjectX500Principal());
      if (cn != null) {
        out.add(cn.toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  private static String commonName(X500Principal subject) {
    X500Name name = X500Name.getInstance(subject.getEncoded());
    for (RDN rdn : name.getRDNs(BCStyle.CN)) {
      return IETFUtils.valueToString(rdn.getFirst().getValue());
    }
    return null;
  }

  private static PEMParser parser(byte[] pem) {
    return new PEMParser(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII));
  }

  private static String safeMessage(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
