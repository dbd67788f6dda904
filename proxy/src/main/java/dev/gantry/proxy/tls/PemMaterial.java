package dev.gantry.proxy.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The PEM text of a certificate chain and of its private key, with where each came from (a file path, or
 * a Secret in a cluster) so that errors can name it. The key text never appears in {@link #toString()}.
 */
public record PemMaterial(String certificateSource, byte[] certificatePem, String keySource, byte[] keyPem) {

  /** A digest of both texts: equal material builds an equal TLS context, which a reload can reuse. */
  public String fingerprint() {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(certificatePem);
      d.update((byte) 0);
      d.update(keyPem);
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "PemMaterial(certificate " + certificateSource + ", key " + keySource + ")";
  }
}
