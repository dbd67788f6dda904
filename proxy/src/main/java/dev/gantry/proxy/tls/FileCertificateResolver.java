package dev.gantry.proxy.tls;

import dev.gantry.model.CertificateRef;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Standalone certificates: PEM files named by {@code certFile} and {@code keyFile}. */
final class FileCertificateResolver implements CertificateResolver {

  /** Larger files are not PEM certificates or keys, whatever they are. */
  private static final long MAX_FILE_BYTES = 1 << 20;

  private final Path baseDirectory;

  FileCertificateResolver(Path baseDirectory) {
    this.baseDirectory = baseDirectory;
  }

  @Override
  public PemMaterial resolve(String lbId, CertificateRef ref) throws CertificateLoadException {
    if (ref.certFile() == null || ref.keyFile() == null) {
      throw new CertificateLoadException("secret " + ref.secretName()
          + ": Secrets need a cluster; standalone, use certFile and keyFile");
    }
    Path cert = baseDirectory.resolve(ref.certFile());
    Path key = baseDirectory.resolve(ref.keyFile());
    return new PemMaterial(cert.toString(), read(cert), key.toString(), read(key));
  }

  @Override
  public PemFile readFile(String lbId, String file) throws CertificateLoadException {
    Path path = baseDirectory.resolve(file);
    return new PemFile(path.toString(), read(path));
  }

  /** The files {@code ref} names, for watching them. */
  static List<Path> files(Path baseDirectory, CertificateRef ref) {
    List<Path> out = new ArrayList<>(2);
    if (ref.certFile() != null) {
      out.add(baseDirectory.resolve(ref.certFile()));
    }
    if (ref.keyFile() != null) {
      out.add(baseDirectory.resolve(ref.keyFile()));
    }
    return out;
  }

  private static byte[] read(Path file) throws CertificateLoadException {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new CertificateLoadException(file + ": larger than 1 MiB, not a PEM file");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CertificateLoadException(file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new CertificateLoadException(file + ": permission denied");
    } catch (IOException e) {
      throw new CertificateLoadException(file + ": cannot read: " + e.getMessage(), e);
    }
  }
}
