package dev.gantry.proxy.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Verifies a backend's certificate: the chain must lead to the CA bundle (the JDK's PKIX checks, expiry
 * included), and the leaf must name the connection's server name (the engine's peer host) or one of the
 * backend's {@code subjectAltNames}. Only a client's trust manager: backends are never asked to trust clients.
 */
final class BackendTrustManager extends X509ExtendedTrustManager {

  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  private final X509TrustManager pkix;
  private final List<String> extraNames;

  BackendTrustManager(X509TrustManager pkix, List<String> extraNames) {
    this.pkix = pkix;
    this.extraNames = extraNames.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    pkix.checkServerTrusted(chain, authType);
    checkName(chain[0], engine.getPeerHost());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("backend connections are verified with an SSLEngine only");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("backend connections are verified with an SSLEngine only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("a backend connection does not verify clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("a backend connection does not verify clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("a backend connection does not verify clients");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }

  private void checkName(X509Certificate leaf, String serverName) throws CertificateException {
    List<String> names = names(leaf);
    String expected = serverName == null ? null : serverName.toLowerCase(Locale.ROOT);
    if (expected != null && names.stream().anyMatch(n -> matches(n, expected))) {
      return;
    }
    for (String extra : extraNames) {
      if (names.stream().anyMatch(n -> n.equals(extra) || matches(n, extra))) {
        return;
      }
    }
    throw new NameMismatchException("certificate does not match serverName \"" + serverName + "\""
        + (extraNames.isEmpty() ? "" : " or subjectAltNames " + extraNames)
        + " (it names " + (names.isEmpty() ? "nothing" : String.join(", ", names)) + ")");
  }

  /** A certificate name against a wanted name: equal, or a wildcard standing for exactly one left-most label. */
  static boolean matches(String certificateName, String wanted) {
    if (certificateName.equals(wanted)) {
      return true;
    }
    if (certificateName.startsWith("*.")) {
      int dot = wanted.indexOf('.');
      return dot > 0 && wanted.substring(dot).equals(certificateName.substring(1));
    }
    return false;
  }

  /** The leaf's DNS and IP address subject alternative names, lower case. No common-name fallback (RFC 6125). */
  private static List<String> names(X509Certificate leaf) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() >= 2 && san.get(0) instanceof Integer type && (type == SAN_DNS || type == SAN_IP)
              && san.get(1) instanceof String name) {
            out.add(name.toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // An unreadable extension names nothing.
    }
    return out;
  }

  /** The certificate is trusted but made out to another name. */
  static final class NameMismatchException extends CertificateException {
    NameMismatchException(String message) {
      super(message);
    }
  }
}
