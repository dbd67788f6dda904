package dev.gantry.proxy.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Verifies a backend's certificate: the chain must lead to the CA bundle (the JDK's PKIX checks, expiry
 * included), and the leaf must name the connection's server name (the engine's peer host) or one of the
 * backend's {@code subjectAltNames}; with {@code verifyServerName} off, one of those only. Host names and
 * addresses are compared without case (a wildcard standing for one label), URIs exactly. Only a client's trust
 * manager: backends are never asked to trust clients.
 */
final class BackendTrustManager extends X509ExtendedTrustManager {

  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;
  private static final int SAN_URI = 6;
  private static final Pattern URI = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*:[^\\s]+");
  private static final Pattern IPV6_LIKE = Pattern.compile("[0-9a-fA-F:.]+");

  private final X509TrustManager pkix;
  private final List<String> extraNames;
  private final List<String> extraUris;
  private final boolean verifyServerName;

  BackendTrustManager(X509TrustManager pkix, List<String> subjectAltNames, boolean verifyServerName) {
    this.pkix = pkix;
    this.extraNames = subjectAltNames.stream().filter(n -> !isUri(n)).map(n -> n.toLowerCase(Locale.ROOT)).toList();
    this.extraUris = subjectAltNames.stream().filter(BackendTrustManager::isUri).toList();
    this.verifyServerName = verifyServerName;
  }

  /** A {@code scheme:...} name, not an IPv6 literal. */
  static boolean isUri(String name) {
    return URI.matcher(name).matches() && !IPV6_LIKE.matcher(name).matches();
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
    List<String> names = names(leaf, false);
    String expected = serverName == null ? null : serverName.toLowerCase(Locale.ROOT);
    if (verifyServerName && expected != null && names.stream().anyMatch(n -> matches(n, expected))) {
      return;
    }
    for (String extra : extraNames) {
      if (names.stream().anyMatch(n -> n.equals(extra) || matches(n, extra))) {
        return;
      }
    }
    List<String> uris = names(leaf, true);
    if (extraUris.stream().anyMatch(uris::contains)) {
      return;
    }
    List<String> carried = new ArrayList<>(names);
    carried.addAll(uris);
    List<String> wanted = new ArrayList<>(extraNames);
    wanted.addAll(extraUris);
    throw new NameMismatchException("certificate does not match "
        + (verifyServerName ? "serverName \"" + serverName + "\"" + (wanted.isEmpty() ? "" : " or ") : "")
        + (wanted.isEmpty() ? "" : "subjectAltNames " + wanted)
        + " (it names " + (carried.isEmpty() ? "nothing" : String.join(", ", carried)) + ")");
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

  /**
   * The leaf's DNS and IP address subject alternative names, lower case, or ({@code uris}) its URI names as
   * written. No common-name fallback (RFC 6125).
   */
  private static List<String> names(X509Certificate leaf, boolean uris) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() >= 2 && san.get(0) instanceof Integer type && san.get(1) instanceof String name) {
            if (uris && type == SAN_URI) {
              out.add(name);
            } else if (!uris && (type == SAN_DNS || type == SAN_IP)) {
              out.add(name.toLowerCase(Locale.ROOT));
            }
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
