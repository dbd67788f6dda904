package dev.gantry.proxy.tls;

import dev.gantry.model.CertificateRef;
import dev.gantry.model.ClientCertificates;
import dev.gantry.model.Listener;
import dev.gantry.model.Protocol;
import dev.gantry.proxy.admin.TlsStats;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the TLS side of HTTPS listeners while a configuration compiles (off the event loops): reads each
 * certificate through a {@link CertificateResolver}, checks it, and makes one TLS context per certificate.
 * A context is reused by the next configuration when its PEM text and settings did not change, so a reload
 * keeps TLS sessions resumable; changed files give new contexts, used by connections opened from then on.
 */
public final class ServerTlsCompiler {

  private static final Logger LOG = LoggerFactory.getLogger(ServerTlsCompiler.class);

  private record ContextKey(String material, TlsSettings settings, String clientValidation) {
  }

  private final TlsEngine engine;
  private ServerCertificate defaultCertificate;
  private Map<ContextKey, CertificateMap.Entry> previous = Map.of();
  private Map<ContextKey, CertificateMap.Entry> current = new HashMap<>();

  public ServerTlsCompiler(TlsEngine engine) {
    this.engine = engine;
  }

  public TlsEngine engine() {
    return engine;
  }

  /** Starts a configuration: contexts built from now on are kept for the next one. */
  public synchronized void beginGeneration() {
    current = new HashMap<>();
  }

  /** The configuration compiled: its contexts are the ones the next configuration may reuse. */
  public synchronized void commitGeneration() {
    previous = current;
  }

  /**
   * The TLS runtime of an HTTPS listener, or null when a certificate, or the CA bundle or revocation list
   * client certificates are verified against, cannot be used; each problem goes to {@code problems} as
   * {@code tls.certificates[i]: file: message} or {@code tls.clientCertificates: file: message}.
   */
  public synchronized ServerTls compile(String lbId, Listener listener, CertificateResolver resolver, TlsStats stats,
      Consumer<String> problems) {
    TlsSettings settings = listener.protocol() == Protocol.TLS ? TlsSettings.terminating(listener.tls())
        : TlsSettings.of(listener.tls());
    ClientValidation client = null;
    ClientCertificates clientCertificates = listener.tls() == null ? null : listener.tls().clientCertificates();
    if (clientCertificates != null) {
      try {
        client = clientValidation(lbId, clientCertificates, resolver);
      } catch (CertificateLoadException e) {
        problems.accept("tls.clientCertificates: " + e.getMessage());
        return null;
      }
    }
    String clientKey = client == null ? "" : client.fingerprint();
    List<CertificateRef> refs = listener.tls() == null ? List.of() : listener.tls().certificatesOrEmpty();
    List<CertificateMap.Entry> entries = new ArrayList<>();
    if (refs.isEmpty()) {
      LOG.warn("LoadBalancer({}) listener {}: no certificate configured; serving the self-signed \"{}\" "
          + "(clients will not trust it)", lbId, listener.name(), DefaultCertificate.SUBJECT.substring(3));
      try {
        entries.add(entry(new ContextKey("default", settings, clientKey), () -> defaultCertificate(), settings,
            client));
      } catch (CertificateLoadException e) {
        problems.accept("default certificate: " + e.getMessage());
      }
    }
    boolean ok = true;
    for (int i = 0; i < refs.size(); i++) {
      String at = "tls.certificates[" + i + "]";
      try {
        PemMaterial pem = resolver.resolve(lbId, refs.get(i));
        entries.add(entry(new ContextKey(pem.fingerprint(), settings, clientKey), () -> load(lbId, listener, pem),
            settings, client));
      } catch (CertificateLoadException e) {
        problems.accept(at + ": " + e.getMessage());
        ok = false;
      }
    }
    if (!ok || entries.isEmpty()) {
      return null;
    }
    return new ServerTls(CertificateMap.of(entries), settings, stats, client,
        SniHosts.of(listener.tls() == null ? null : listener.tls().sniHosts()));
  }

  /** Reads the CA bundle and revocation lists that client certificates are verified against. */
  private static ClientValidation clientValidation(String lbId, ClientCertificates c,
      CertificateResolver resolver) throws CertificateLoadException {
    byte[] ca = resolver.readFile(lbId, c.caFile()).text();
    byte[] crl = c.crlFile() == null ? null : resolver.readFile(lbId, c.crlFile()).text();
    ClientCertificateVerifier verifier = ClientCertificateVerifier.of(c.caFile(), ca, c.crlFile(), crl,
        c.depthOrDefault());
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(ca);
      d.update((byte) 0);
      if (crl != null) {
        d.update(crl);
      }
      String fingerprint = HexFormat.of().formatHex(d.digest()) + "/" + c.mode() + "/" + c.depthOrDefault();
      return new ClientValidation(c.mode(), verifier, c.forwardOrDefault(), fingerprint);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @FunctionalInterface
  private interface CertificateSource {
    ServerCertificate get() throws CertificateLoadException;
  }

  private CertificateMap.Entry entry(ContextKey key, CertificateSource source, TlsSettings settings,
      ClientValidation client) throws CertificateLoadException {
    CertificateMap.Entry e = current.get(key);
    if (e == null) {
      e = previous.get(key);
    }
    if (e == null) {
      ServerCertificate cert = source.get();
      e = new CertificateMap.Entry(context(cert, settings, client), cert.names());
    }
    current.put(key, e);
    return e;
  }

  private ServerCertificate load(String lbId, Listener listener, PemMaterial pem) throws CertificateLoadException {
    ServerCertificate cert = PemCertificates.load(pem);
    Instant notAfter = cert.leaf().getNotAfter().toInstant();
    if (notAfter.isBefore(Instant.now())) {
      LOG.warn("LoadBalancer({}) listener {}: certificate {} expired on {}; serving it anyway", lbId,
          listener.name(), pem.certificateSource(), notAfter);
    }
    LOG.info("LoadBalancer({}) listener {}: certificate {} for {}", lbId, listener.name(), pem.certificateSource(),
        cert.names().isEmpty() ? "(no DNS name)" : String.join(", ", cert.names()));
    return cert;
  }

  private synchronized ServerCertificate defaultCertificate() {
    if (defaultCertificate == null) {
      defaultCertificate = DefaultCertificate.generate();
    }
    return defaultCertificate;
  }

  private SslContext context(ServerCertificate cert, TlsSettings settings, ClientValidation client)
      throws CertificateLoadException {
    try {
      SslContextBuilder builder = SslContextBuilder.forServer(cert.key(), cert.chain().toArray(new X509Certificate[0]));
      if (client != null) {
        builder.trustManager(client.trustManager()).clientAuth(client.clientAuth());
      }
      return builder
          .sslProvider(engine.provider())
          .protocols(settings.protocols())
          .ciphers(TlsSettings.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
          .applicationProtocolConfig(settings.alpn().isEmpty() ? ApplicationProtocolConfig.DISABLED
              : new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                  // The only behaviours every engine supports: no common protocol means no ALPN (HTTP/1.1).
                  ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                  ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                  settings.alpn()))
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new CertificateLoadException(cert.source() + ": cannot build a TLS context with this certificate: "
          + e.getMessage(), e);
    }
  }
}
