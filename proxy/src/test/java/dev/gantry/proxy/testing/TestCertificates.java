package dev.gantry.proxy.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.net.Socket;
import java.security.Principal;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates made in code for tests (never checked in): a certificate authority that issues leaf and
 * intermediate certificates, PEM output in the common key layouts, and client TLS contexts trusting it.
 */
public final class TestCertificates {

  /** Key algorithm of an issued certificate. */
  public enum KeyType { RSA, EC }

  /** How a private key is written to PEM. */
  public enum KeyFormat {
    /** {@code BEGIN RSA PRIVATE KEY} / {@code BEGIN EC PRIVATE KEY}: OpenSSL's traditional layouts. */
    TRADITIONAL,
    /** {@code BEGIN PRIVATE KEY}. */
    PKCS8
  }

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private TestCertificates() {
  }

  /** A certificate with its key and the chain above it (leaf first, without the root). */
  public record Issued(X509Certificate certificate, KeyPair keys, List<X509Certificate> chain) {

    /** The leaf then the intermediates, as a server's certificate file holds them. */
    public String chainPem() {
      StringBuilder sb = new StringBuilder();
      for (X509Certificate c : chain) {
        sb.append(pem(c));
      }
      return sb.toString();
    }

    public String keyPem(KeyFormat format) {
      if (format == KeyFormat.PKCS8) {
        return pkcs8(keys.getPrivate());
      }
      return keys.getPrivate() instanceof ECPrivateKey ? sec1(keys, true) : pem(keys.getPrivate());
    }

    /** Writes {@code name.pem} and {@code name.key} into {@code dir}; returns both paths. */
    public Path[] write(Path dir, String name, KeyFormat format) {
      Path cert = dir.resolve(name + ".pem");
      Path key = dir.resolve(name + ".key");
      try {
        Files.writeString(cert, chainPem());
        Files.writeString(key, keyPem(format));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Path[] {cert, key};
    }
  }

  /** A certificate authority. */
  public static final class Authority {
    private final X509Certificate certificate;
    private final KeyPair keys;
    private final List<X509Certificate> chainAbove;

    private Authority(X509Certificate certificate, KeyPair keys, List<X509Certificate> chainAbove) {
      this.certificate = certificate;
      this.keys = keys;
      this.chainAbove = chainAbove;
    }

    public X509Certificate certificate() {
      return certificate;
    }

    public String certificatePem() {
      return pem(certificate);
    }

    /** Writes the CA certificate to {@code file} (for curl's and openssl's {@code -CAfile}). */
    public Path write(Path file) {
      try {
        Files.writeString(file, certificatePem());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return file;
    }

    /** A server certificate for {@code cn} whose DNS names are {@code names} (plus IP 127.0.0.1). */
    public Issued issue(String cn, KeyType type, String... names) {
      KeyPair leafKeys = generate(type);
      X509Certificate leaf = sign(cn, leafKeys, names, false, null, null);
      return withChain(leaf, leafKeys);
    }

    /** Like {@link #issue}, but valid only from two days ago until yesterday. */
    public Issued issueExpired(String cn, String... names) {
      KeyPair leafKeys = generate(KeyType.EC);
      Instant now = Instant.now();
      X509Certificate leaf = sign(cn, leafKeys, names, false, null, null, now.minus(Duration.ofDays(2)),
          now.minus(Duration.ofDays(1)));
      return withChain(leaf, leafKeys);
    }

    /** A client certificate for {@code cn} with a URI subject alternative name and DNS names. */
    public Issued issueClient(String cn, String uri, String... names) {
      KeyPair leafKeys = generate(KeyType.EC);
      X509Certificate leaf = sign(cn, leafKeys, names, false, uri, null);
      return withChain(leaf, leafKeys);
    }

    /** A certificate for {@code cn} whose extended key usage allows only {@code purpose}. */
    public Issued issueFor(String cn, KeyPurposeId purpose) {
      KeyPair leafKeys = generate(KeyType.EC);
      X509Certificate leaf = sign(cn, leafKeys, new String[0], false, null, purpose);
      return withChain(leaf, leafKeys);
    }

    /** A certificate revocation list of this authority, in PEM, naming {@code revoked}. */
    public String crlPem(X509Certificate... revoked) {
      try {
        Instant now = Instant.now();
        X509v2CRLBuilder b = new X509v2CRLBuilder(
            X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
            Date.from(now.minus(Duration.ofMinutes(5))));
        b.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
        for (X509Certificate c : revoked) {
          b.addCRLEntry(c.getSerialNumber(), Date.from(now.minus(Duration.ofMinutes(1))), CRLReason.keyCompromise);
        }
        X509CRLHolder crl = b.build(signer(keys.getPrivate()));
        return pem(new PemObject("X509 CRL", crl.getEncoded()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    private Issued withChain(X509Certificate leaf, KeyPair leafKeys) {
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(leaf);
      chain.addAll(chainAbove);
      return new Issued(leaf, leafKeys, chain);
    }

    /** An intermediate authority signed by this one. */
    public Authority intermediate(String cn) {
      KeyPair k = generate(KeyType.EC);
      X509Certificate c = sign(cn, k, new String[0], true, null, null);
      List<X509Certificate> above = new ArrayList<>();
      above.add(c);
      above.addAll(chainAbove);
      return new Authority(c, k, above);
    }

    private X509Certificate sign(String cn, KeyPair subjectKeys, String[] names, boolean ca, String uri,
        KeyPurposeId purpose) {
      Instant now = Instant.now();
      return sign(cn, subjectKeys, names, ca, uri, purpose, now.minus(Duration.ofHours(1)),
          now.plus(Duration.ofDays(30)));
    }

    private X509Certificate sign(String cn, KeyPair subjectKeys, String[] names, boolean ca, String uri,
        KeyPurposeId purpose, Instant notBefore, Instant notAfter) {
      try {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
            X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
            BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore),
            Date.from(notAfter), new X500Name("CN=" + cn), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (ca) {
          b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
          List<GeneralName> sans = new ArrayList<>();
          for (String n : names) {
            sans.add(new GeneralName(GeneralName.dNSName, n));
          }
          sans.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
          if (uri != null) {
            sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
          }
          if (purpose != null) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
          }
          b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(signer(keys.getPrivate())));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A new self-signed root authority. */
  public static Authority authority(String cn) {
    try {
      KeyPair k = generate(KeyType.EC);
      Instant now = Instant.now();
      X500Name name = new X500Name("CN=" + cn);
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(SERIAL.incrementAndGet()),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), name, k.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509Certificate c = new JcaX509CertificateConverter().getCertificate(b.build(signer(k.getPrivate())));
      return new Authority(c, k, List.of());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client TLS context that trusts {@code ca} only. */
  public static SSLContext clientContext(Authority ca) {
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setCertificateEntry("ca", ca.certificate());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A client TLS context that trusts any server and presents {@code client}'s certificate and chain, even to a
   * server whose list of accepted authorities does not name its issuer (the JDK would then send none).
   */
  public static SSLContext clientContextWith(Issued client) {
    X509Certificate[] chain = client.chain().toArray(new X509Certificate[0]);
    X509ExtendedKeyManager always = new X509ExtendedKeyManager() {
      @Override
      public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {"client"};
      }

      @Override
      public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return "client";
      }

      @Override
      public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return "client";
      }

      @Override
      public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
      }

      @Override
      public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
      }

      @Override
      public X509Certificate[] getCertificateChain(String alias) {
        return chain.clone();
      }

      @Override
      public PrivateKey getPrivateKey(String alias) {
        return client.keys().getPrivate();
      }
    };
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(new KeyManager[] {always}, trustAllManagers(), new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client TLS context that accepts any certificate (for looking at what a server presents). */
  public static SSLContext trustAll() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, trustAllManagers(), new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static javax.net.ssl.TrustManager[] trustAllManagers() {
    return new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }};
  }

  public static KeyPair generate(KeyType type) {
    try {
      if (type == KeyType.RSA) {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
      }
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The subject's common name of a certificate. */
  public static String commonName(X509Certificate c) {
    String dn = c.getSubjectX500Principal().getName();
    for (String part : dn.split(",")) {
      if (part.startsWith("CN=")) {
        return part.substring(3);
      }
    }
    return dn;
  }

  static String pem(Object o) {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /**
   * An EC key as OpenSSL writes it ({@code BEGIN EC PRIVATE KEY}, SEC1): with the curve, and with the public
   * key unless {@code withPublicKey} is false (it is optional).
   */
  public static String sec1(KeyPair keys, boolean withPublicKey) {
    try {
      SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
      ECPrivateKey k = (ECPrivateKey) keys.getPrivate();
      org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
          k.getParams().getOrder().bitLength(), k.getS(), withPublicKey ? spki.getPublicKeyData() : null,
          spki.getAlgorithm().getParameters());
      return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String pkcs8(PrivateKey key) {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  private static org.bouncycastle.operator.ContentSigner signer(PrivateKey key) throws Exception {
    return new JcaContentSignerBuilder(key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA")
        .build(key);
  }
}
