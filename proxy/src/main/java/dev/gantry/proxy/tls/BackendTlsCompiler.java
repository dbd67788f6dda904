package dev.gantry.proxy.tls;

import dev.gantry.model.Backend;
import dev.gantry.model.BackendProtocol;
import dev.gantry.model.BackendTls;
import dev.gantry.model.CertificateRef;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the TLS client of each {@code protocol: TLS} or {@code H2} backend (the latter offering only
 * {@code h2} with ALPN) while a configuration compiles (off the event
 * loops). A client is reused by the next configuration when its files' contents and settings did not change,
 * so a reload keeps sessions resumable; changed files give a new client for connections opened from then on.
 */
public final class BackendTlsCompiler {

  private static final Logger LOG = LoggerFactory.getLogger(BackendTlsCompiler.class);

  private final TlsEngine engine;
  private Map<String, BackendTlsClient> previous = Map.of();
  private Map<String, BackendTlsClient> current = new HashMap<>();

  public BackendTlsCompiler(TlsEngine engine) {
    this.engine = engine;
  }

  /** Starts a configuration: clients built from now on are kept for the next one. */
  public synchronized void beginGeneration() {
    current = new HashMap<>();
  }

  /** The configuration compiled: its clients are the ones the next configuration may reuse. */
  public synchronized void commitGeneration() {
    previous = current;
  }

  /**
   * The TLS client of {@code backend}, or null when it is not a TLS backend or its files cannot be used
   * (each problem goes to {@code problems}, naming the field and the file).
   */
  public synchronized BackendTlsClient compile(String lbId, Backend backend, CertificateResolver files,
      java.util.function.Consumer<String> problems) {
    BackendTls tls = backend.tls();
    if (tls == null) {
      return null;
    }
    String owner = lbId + ") backend " + backend.name();
    try {
      PemFile ca = tls.caFile() == null ? null : files.readFile(lbId, tls.caFile());
      PemMaterial client = tls.certificateFile() == null ? null
          : files.resolve(lbId, new CertificateRef(null, tls.certificateFile(), tls.keyFile()));
      boolean h2 = backend.protocolOrDefault() == BackendProtocol.H2;
      String key = key(owner, tls, ca, client) + "|" + backend.protocolOrDefault();
      BackendTlsClient c = current.get(key);
      if (c == null) {
        c = previous.get(key);
      }
      if (c == null) {
        c = new BackendTlsClient(owner, context(tls, ca, client, h2), tls.serverName(), h2);
      }
      current.put(key, c);
      if (tls.insecureSkipVerifyOrDefault()) {
        LOG.warn("LoadBalancer({}) backend {}: insecureSkipVerify: backend certificates are NOT verified",
            lbId, backend.name());
      }
      return c;
    } catch (CertificateLoadException e) {
      problems.accept("backend \"" + backend.name() + "\", tls: " + e.getMessage());
      return null;
    }
  }

  private SslContext context(BackendTls tls, PemFile ca, PemMaterial client, boolean h2)
      throws CertificateLoadException {
    SslContextBuilder b = SslContextBuilder.forClient()
        .sslProvider(engine.provider())
        .protocols("TLSv1.3", "TLSv1.2")
        // Names are checked by the trust manager, which also accepts the extra subjectAltNames.
        .endpointIdentificationAlgorithm(null);
    if (tls.insecureSkipVerifyOrDefault()) {
      b.trustManager(InsecureTrustManagerFactory.INSTANCE);
    } else {
      b.trustManager((TrustManager) new BackendTrustManager(pkix(ca), tls.subjectAltNamesOrEmpty(),
          tls.verifyServerNameOrDefault()));
    }
    if (h2) {
      b.applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
          SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2));
    }
    if (client != null) {
      ServerCertificate cert = PemCertificates.load(client);
      b.keyManager(cert.key(), cert.chain());
    }
    try {
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new CertificateLoadException("cannot build a TLS client context: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager pkix(PemFile ca) throws CertificateLoadException {
    String caFile = ca.source();
    List<X509Certificate> cas = PemCertificates.certificates(caFile, ca.text());
    if (cas.isEmpty()) {
      throw new CertificateLoadException(caFile + ": no PEM certificate (BEGIN CERTIFICATE) found");
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
      f.init(store);
      for (TrustManager tm : f.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          return x;
        }
      }
      throw new CertificateLoadException(caFile + ": the JDK gave no X.509 trust manager");
    } catch (GeneralSecurityException | IOException e) {
      throw new CertificateLoadException(caFile + ": cannot use as a CA bundle: " + e.getMessage(), e);
    }
  }

  /** Equal keys build equal clients: the settings and a digest of every file's text (never the text itself). */
  private static String key(String owner, BackendTls tls, PemFile ca, PemMaterial client) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      if (ca != null) {
        d.update(ca.text());
      }
      d.update((byte) 0);
      if (client != null) {
        d.update(client.fingerprint().getBytes(StandardCharsets.US_ASCII));
      }
      return owner + "|" + tls.serverName() + "|" + tls.verifyServerNameOrDefault() + "|"
          + tls.subjectAltNamesOrEmpty() + "|"
          + tls.insecureSkipVerifyOrDefault() + "|" + HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
