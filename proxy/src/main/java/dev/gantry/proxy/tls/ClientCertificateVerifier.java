package dev.gantry.proxy.tls;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CRL;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies a client's certificate chain against a listener's CA bundle (RFC 5280 path validation): at most
 * {@code depth} authorities above the client's certificate, the trusted one included, and, with revocation
 * lists, none of the chain's certificates revoked. A client certificate that names its extended key usages
 * must name client authentication. With lists given, every authority of a chain needs a
 * current one, or the chain fails: no status is not taken as good. Nothing is fetched over the network.
 */
public final class ClientCertificateVerifier {

  /** Extended key usages (RFC 5280 4.2.1.12) under which a certificate may authenticate a TLS client. */
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_PURPOSE = "2.5.29.37.0";

  private final List<X509Certificate> authorities;
  private final Set<TrustAnchor> anchors;
  private final Collection<? extends CRL> crls;
  private final int depth;

  private ClientCertificateVerifier(List<X509Certificate> authorities, Collection<? extends CRL> crls, int depth) {
    this.authorities = List.copyOf(authorities);
    Set<TrustAnchor> a = new HashSet<>();
    for (X509Certificate c : authorities) {
      a.add(new TrustAnchor(c, null));
    }
    this.anchors = Set.copyOf(a);
    this.crls = List.copyOf(crls);
    this.depth = depth;
  }

  /**
   * A verifier trusting the certificates of {@code caPem}, checking the lists of {@code crl} (PEM or DER;
   * null for none).
   */
  public static ClientCertificateVerifier of(String caSource, byte[] caPem, String crlSource, byte[] crl, int depth)
      throws CertificateLoadException {
    List<X509Certificate> cas = PemCertificates.certificates(caSource, caPem);
    if (cas.isEmpty()) {
      throw new CertificateLoadException(caSource + ": no PEM certificate (BEGIN CERTIFICATE) found");
    }
    Collection<? extends CRL> crls = List.of();
    if (crl != null) {
      try {
        crls = CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(crl));
      } catch (GeneralSecurityException | RuntimeException e) {
        throw new CertificateLoadException(crlSource + ": not a certificate revocation list (PEM or DER): "
            + e.getMessage(), e);
      }
      if (crls.isEmpty()) {
        throw new CertificateLoadException(crlSource + ": no certificate revocation list found");
      }
    }
    return new ClientCertificateVerifier(cas, crls, depth);
  }

  /** The authorities clients are told the proxy accepts. */
  public X509Certificate[] authorities() {
    return authorities.toArray(new X509Certificate[0]);
  }

  /**
   * Checks {@code chain} (the client's certificate first, then what it sent along).
   *
   * @throws CertificateException saying why the chain is not trusted
   */
  public void verify(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("no client certificate");
    }
    List<String> purposes = chain[0].getExtendedKeyUsage();
    if (purposes != null && !purposes.contains(CLIENT_AUTH) && !purposes.contains(ANY_PURPOSE)) {
      throw new CertificateException("client certificate not meant for client authentication (extended key usage)");
    }
    try {
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(chain[0]);
      PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
      // PKIX counts the intermediates between the client's certificate and the trusted authority.
      params.setMaxPathLength(depth - 1);
      List<Object> material = new ArrayList<>(Arrays.asList(chain));
      material.addAll(crls);
      params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(material)));
      CertPathBuilder builder = CertPathBuilder.getInstance("PKIX");
      if (crls.isEmpty()) {
        params.setRevocationEnabled(false);
      } else {
        PKIXRevocationChecker revocation = (PKIXRevocationChecker) builder.getRevocationChecker();
        revocation.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
            PKIXRevocationChecker.Option.NO_FALLBACK));
        params.addCertPathChecker(revocation);
      }
      builder.build(params);
    } catch (InvalidAlgorithmParameterException e) {
      throw new CertificateException("cannot verify: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new CertificateException("client certificate not trusted: " + e.getMessage(), e);
    }
  }
}
