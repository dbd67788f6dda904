package dev.gantry.proxy.cluster;

import dev.gantry.model.CertificateRef;
import dev.gantry.proxy.tls.CertificateLoadException;
import dev.gantry.proxy.tls.CertificateResolver;
import dev.gantry.proxy.tls.PemFile;
import dev.gantry.proxy.tls.PemMaterial;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The TLS bundle of a fleet, from its Secret: PEM bytes by key ({@code shop-tls.crt}, {@code shop-tls.key}),
 * which the resolved model names in {@code certFile} and {@code keyFile} (and {@code caFile}, {@code crlFile},
 * {@code certificateFile}). Immutable: a rotation replaces
 * the whole bundle. Never logged.
 */
public final class BundleCertificates {

  public static final BundleCertificates EMPTY = new BundleCertificates(Map.of());

  private final Map<String, byte[]> pem;

  private BundleCertificates(Map<String, byte[]> pem) {
    this.pem = pem;
  }

  /** From a Secret's {@code data}: base64 values. An undecodable value is left out. */
  public static BundleCertificates fromSecretData(Map<String, String> data) {
    if (data == null) {
      return EMPTY;
    }
    java.util.HashMap<String, byte[]> decoded = new java.util.HashMap<>();
    data.forEach((k, v) -> {
      try {
        decoded.put(k, Base64.getMimeDecoder().decode(v));
      } catch (IllegalArgumentException e) {
        // not base64: the key stays missing and the model waits for a good bundle
      }
    });
    return new BundleCertificates(Map.copyOf(decoded));
  }

  /** The PEM bytes of a bundle key, as a certificate resolver would serve them. */
  public Optional<byte[]> pem(String key) {
    byte[] b = pem.get(key);
    return b == null ? Optional.empty() : Optional.of(b.clone());
  }

  public boolean has(String key) {
    return pem.containsKey(key);
  }

  /**
   * Serves the model's file references from this bundle, the Secret {@code secret}: {@code certFile} and
   * {@code keyFile} of listeners, and the CA bundles, revocation lists and client certificates of client
   * certificate validation and TLS backends.
   */
  public CertificateResolver resolver(String secret) {
    return new CertificateResolver() {
      @Override
      public PemMaterial resolve(String lbId, CertificateRef ref) throws CertificateLoadException {
        return material(secret, ref);
      }

      @Override
      public PemFile readFile(String lbId, String key) throws CertificateLoadException {
        return new PemFile("Secret " + secret + " key " + key, pem(key).orElseThrow(() -> missing(secret, key)));
      }
    };
  }

  private PemMaterial material(String secret, CertificateRef ref) throws CertificateLoadException {
    if (ref.certFile() == null || ref.keyFile() == null) {
      throw new CertificateLoadException("certificate " + (ref.secretName() == null ? "" : ref.secretName())
          + ": the operator hands certificates over as keys of Secret " + secret + " (certFile and keyFile)");
    }
    byte[] cert = pem(ref.certFile()).orElseThrow(() -> missing(secret, ref.certFile()));
    byte[] key = pem(ref.keyFile()).orElseThrow(() -> missing(secret, ref.keyFile()));
    return new PemMaterial("Secret " + secret + " key " + ref.certFile(), cert,
        "Secret " + secret + " key " + ref.keyFile(), key);
  }

  private static CertificateLoadException missing(String secret, String key) {
    return new CertificateLoadException("Secret " + secret + " has no key " + key);
  }
}
