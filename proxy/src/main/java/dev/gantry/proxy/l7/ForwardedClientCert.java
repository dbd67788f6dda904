package dev.gantry.proxy.l7;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * The {@code X-Forwarded-Client-Cert} header in Envoy's format: one element of {@code key=value} pairs
 * separated by {@code ;}, here {@code Hash} (SHA-256 of the certificate's DER, hex), {@code Subject} (RFC 2253,
 * always quoted), then one {@code URI} and one {@code DNS} pair per subject alternative name of that kind.
 * A value holding {@code ,}, {@code ;}, {@code =} or {@code "} is quoted, with {@code "} escaped as {@code \"}.
 */
final class ForwardedClientCert {

  static final AsciiString HEADER = AsciiString.cached("x-forwarded-client-cert");
  private static final int SAN_DNS = 2;
  private static final int SAN_URI = 6;

  private ForwardedClientCert() {
  }

  /**
   * Removes whatever a client sent under this name, always, then sets the connection's verified
   * certificate's value when there is one to forward.
   */
  static void apply(HttpHeaders h, ClientIdentity identity) {
    h.remove(HEADER);
    if (identity.forwardedClientCert() != null) {
      h.set(HEADER, identity.forwardedClientCert());
    }
  }

  /** The header value describing {@code cert}. */
  static String value(X509Certificate cert) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("Hash=").append(sha256(cert));
    sb.append(";Subject=").append(quoted(cert.getSubjectX500Principal().getName(X500Principal.RFC2253)));
    for (List<?> san : alternativeNames(cert)) {
      int type = (Integer) san.get(0);
      if (type == SAN_URI) {
        sb.append(";URI=").append(valueOf(san.get(1).toString()));
      }
    }
    for (List<?> san : alternativeNames(cert)) {
      int type = (Integer) san.get(0);
      if (type == SAN_DNS) {
        sb.append(";DNS=").append(valueOf(san.get(1).toString()));
      }
    }
    // A certificate's strings may hold anything; control characters would break the header.
    for (int i = 0; i < sb.length(); i++) {
      if (sb.charAt(i) < 0x20 || sb.charAt(i) == 0x7f) {
        sb.setCharAt(i, '?');
      }
    }
    return sb.toString();
  }

  private static Collection<List<?>> alternativeNames(X509Certificate cert) {
    try {
      Collection<List<?>> names = cert.getSubjectAlternativeNames();
      return names == null ? List.of() : names;
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }

  private static String sha256(X509Certificate cert) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
    }
  }

  private static String valueOf(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == ',' || c == ';' || c == '=' || c == '"') {
        return quoted(v);
      }
    }
    return v;
  }

  private static String quoted(String v) {
    return '"' + v.replace("\"", "\\\"") + '"';
  }
}
