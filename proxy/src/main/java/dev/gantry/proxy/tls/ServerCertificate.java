package dev.gantry.proxy.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate chain (leaf first) with its private key and the host names the leaf is valid for, which
 * SNI selects it by. {@link #toString()} leaves the key out.
 *
 * @param names lower-case DNS names of the leaf (its subject alternative names, else its common name);
 *     wildcards keep their {@code *.} prefix
 * @param source where it came from, for logs: the certificate file or Secret
 */
public record ServerCertificate(List<X509Certificate> chain, PrivateKey key, List<String> names, String source) {

  public ServerCertificate {
    chain = List.copyOf(chain);
    names = List.copyOf(names);
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  @Override
  public String toString() {
    return "ServerCertificate(" + source + ", " + names + ")";
  }
}
