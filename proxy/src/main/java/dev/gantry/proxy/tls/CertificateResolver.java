package dev.gantry.proxy.tls;

import dev.gantry.model.CertificateRef;
import java.nio.file.Path;

/**
 * Where the PEM text of a listener's certificate comes from: files standalone, a Secret's data in a
 * cluster. Called while a configuration is compiled, off the event loops.
 */
@FunctionalInterface
public interface CertificateResolver {

  /**
   * The certificate chain and key {@code ref} names.
   *
   * @param lbId the load balancer ({@code namespace/name}) the reference belongs to
   * @throws CertificateLoadException when it cannot be read; the message names the file or Secret
   */
  PemMaterial resolve(String lbId, CertificateRef ref) throws CertificateLoadException;

  /**
   * A PEM file a listener or a backend names besides its certificates (a CA bundle, a revocation list).
   *
   * @throws CertificateLoadException when it cannot be read, or where files are not available
   */
  default PemFile readFile(String lbId, String file) throws CertificateLoadException {
    throw new CertificateLoadException(file + ": files are read only standalone");
  }

  /** Reads {@code certFile} and {@code keyFile}, relative paths taken from {@code baseDirectory}. */
  static CertificateResolver files(Path baseDirectory) {
    return new FileCertificateResolver(baseDirectory);
  }
}
