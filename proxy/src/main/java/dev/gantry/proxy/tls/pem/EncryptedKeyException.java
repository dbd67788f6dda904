package dev.gantry.proxy.tls.pem;

import java.security.GeneralSecurityException;

/** A PEM private key that is encrypted: Gantry takes keys unencrypted and leaves protecting them to the file. */
public final class EncryptedKeyException extends GeneralSecurityException {

  public EncryptedKeyException() {
    super("the private key is encrypted");
  }
}
