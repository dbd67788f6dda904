package dev.gantry.proxy.tls;

/** A certificate or private key that cannot be used; the message names the file (or Secret) it came from. */
public final class CertificateLoadException extends Exception {

  public CertificateLoadException(String message) {
    super(message);
  }

  public CertificateLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
