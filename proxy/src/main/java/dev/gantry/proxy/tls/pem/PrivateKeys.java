package dev.gantry.proxy.tls.pem;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;

/**
 * Turns the first private key among PEM blocks into a {@link PrivateKey} with the JDK alone. PKCS#1
 * ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}) keys are wrapped into PKCS#8 first, which
 * is what {@link KeyFactory} reads; a SEC1 key names its curve itself or in an {@code EC PARAMETERS}
 * block before it, as {@code openssl ecparam -genkey} writes.
 */
public final class PrivateKeys {

  static final String RSA = "1.2.840.113549.1.1.1";
  static final String RSA_PSS = "1.2.840.113549.1.1.10";
  static final String EC = "1.2.840.10045.2.1";
  static final String ED25519 = "1.3.101.112";
  static final String ED448 = "1.3.101.113";

  private PrivateKeys() {
  }

  /**
   * The first private key in {@code blocks}, or null when there is none.
   *
   * @throws EncryptedKeyException when the first key is encrypted
   * @throws GeneralSecurityException or {@link IllegalArgumentException} when it cannot be read
   */
  public static PrivateKey first(List<PemBlock> blocks) throws GeneralSecurityException {
    byte[] curve = null;
    for (PemBlock block : blocks) {
      if (block.headers().getOrDefault("Proc-Type", "").contains("ENCRYPTED")) {
        throw new EncryptedKeyException();
      }
      switch (block.label()) {
        case "ENCRYPTED PRIVATE KEY" -> throw new EncryptedKeyException();
        case "PRIVATE KEY" -> {
          return pkcs8(block.der());
        }
        case "RSA PRIVATE KEY" -> {
          return pkcs8(wrap(DerWriter.sequence(DerWriter.oid(RSA), DerWriter.nullValue()), block.der()));
        }
        case "EC PARAMETERS" -> curve = namedCurve(new DerReader(block.der()).next());
        case "EC PRIVATE KEY" -> {
          return pkcs8(wrap(DerWriter.sequence(DerWriter.oid(EC), sec1Curve(block.der(), curve)), block.der()));
        }
        default -> {
          // Certificates and anything else in a combined file.
        }
      }
    }
    return null;
  }

  /** Reads PKCS#8 PrivateKeyInfo: the AlgorithmIdentifier's OID picks the key factory. */
  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    DerReader info = new DerReader(der).next(DerReader.SEQUENCE).children();
    info.next(DerReader.INTEGER);
    String oid = info.next().childrenOf(DerReader.SEQUENCE).next().oid();
    String algorithm = switch (oid) {
      case RSA -> "RSA";
      case RSA_PSS -> "RSASSA-PSS";
      case EC -> "EC";
      case ED25519 -> "Ed25519";
      case ED448 -> "Ed448";
      default -> throw new GeneralSecurityException("unsupported key algorithm " + oid + " (use RSA, EC or Ed25519)");
    };
    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  private static byte[] wrap(byte[] algorithmIdentifier, byte[] key) {
    return DerWriter.sequence(DerWriter.integer(0), algorithmIdentifier, DerWriter.octetString(key));
  }

  /** The curve OID of a SEC1 ECPrivateKey: its own {@code [0]} parameters, else the preceding EC PARAMETERS. */
  private static byte[] sec1Curve(byte[] der, byte[] fromParameters) throws GeneralSecurityException {
    DerReader key = new DerReader(der).next(DerReader.SEQUENCE).children();
    key.next(DerReader.INTEGER);
    key.next(DerReader.OCTET_STRING);
    while (key.hasNext()) {
      DerReader.Value v = key.next();
      if (v.tag() == 0xa0) {
        return namedCurve(v.children().next());
      }
    }
    if (fromParameters == null) {
      throw new GeneralSecurityException("the EC private key does not name its curve (no EC PARAMETERS)");
    }
    return fromParameters;
  }

  private static byte[] namedCurve(DerReader.Value parameters) throws GeneralSecurityException {
    if (parameters.tag() != DerReader.OID) {
      throw new GeneralSecurityException("explicit EC curve parameters are not supported; use a named curve");
    }
    parameters.oid();
    return parameters.encoded();
  }
}
