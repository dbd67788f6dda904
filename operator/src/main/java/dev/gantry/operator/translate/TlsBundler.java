package dev.gantry.operator.translate;

import dev.gantry.model.CertificateRef;
import dev.gantry.model.ClientCertificates;
import dev.gantry.model.Listener;
import dev.gantry.model.ListenerTls;
import dev.gantry.model.LoadBalancer;
import dev.gantry.model.LoadBalancerSpec;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gathers the certificates of a load balancer's HTTPS listeners into one bundle, the fleet's own Secret,
 * and points the model at it: {@code secretName: shop-tls} becomes {@code certFile: shop-tls.crt} and
 * {@code keyFile: shop-tls.key}, keys of that bundle. Key material stays base64 as it came, in Secrets only.
 * A certificate whose Secret is missing or unusable is left out; a listener left with none is not served.
 * A listener's client certificate CA bundle and revocation list join the bundle too
 * ({@link ClientCertificatesBundler}); a listener whose CA cannot be read is not served, rather than served
 * without client certificate validation.
 */
public final class TlsBundler {

  /** The rewritten model, the bundle (key to base64 value), and what went wrong. */
  public record Bundled(LoadBalancer lb, Map<String, String> bundle, List<Finding> findings) {
  }

  public static final String CERT_SUFFIX = ".crt";
  public static final String KEY_SUFFIX = ".key";

  private TlsBundler() {
  }

  public static Bundled bundle(LoadBalancer lb, ClusterRefs refs) {
    Map<String, String> bundle = new TreeMap<>();
    List<Finding> findings = new ArrayList<>();
    List<Listener> listeners = new ArrayList<>();
    for (Listener l : lb.spec().listenersOrEmpty()) {
      if (l.tls() == null || (l.tls().certificatesOrEmpty().isEmpty() && l.tls().clientCertificates() == null)) {
        listeners.add(l);
        continue;
      }
      ClientCertificates clients = l.tls().clientCertificates();
      if (clients != null) {
        ClientCertificatesBundler.Outcome c = ClientCertificatesBundler.bundle(l.name(), clients, refs, bundle);
        if (c.finding() != null) {
          findings.add(c.finding());
          findings.add(new Finding(c.finding().reason(), "listener \"" + l.name()
              + "\" is not served: its client certificate CA is not available"));
          continue;
        }
        clients = c.resolved();
      }
      if (l.tls().certificatesOrEmpty().isEmpty()) {
        listeners.add(withTls(l, l.tls().certificates(), clients));
        continue;
      }
      List<CertificateRef> certificates = new ArrayList<>();
      String reason = null;
      for (CertificateRef c : l.tls().certificatesOrEmpty()) {
        String problem = add(c, refs, bundle);
        if (problem == null) {
          certificates.add(new CertificateRef(null, c.secretName() + CERT_SUFFIX, c.secretName() + KEY_SUFFIX));
        } else {
          reason = reason == null ? reason(problem) : reason;
          findings.add(new Finding(reason(problem), "listener \"" + l.name() + "\": " + problem));
        }
      }
      if (certificates.isEmpty()) {
        findings.add(new Finding(reason, "listener \"" + l.name()
            + "\" is not served: none of its certificates is available"));
        continue;
      }
      listeners.add(withTls(l, certificates, clients));
    }
    LoadBalancerSpec s = lb.spec();
    LoadBalancerSpec spec = new LoadBalancerSpec(s.timeouts(), listeners, s.routes(), s.backends(), s.deployment(),
        s.service(), s.infrastructure());
    return new Bundled(new LoadBalancer(lb.apiVersion(), lb.kind(), lb.metadata(), spec, lb.status()), bundle,
        findings);
  }

  private static Listener withTls(Listener l, List<CertificateRef> certificates, ClientCertificates clients) {
    return new Listener(l.name(), l.port(), l.protocol(), l.redirectToHttps(),
        new ListenerTls(certificates, l.tls().minVersion(), l.tls().alpn(), clients, l.tls().sniHosts()),
        l.defaultBackend());
  }

  /** Adds a certificate's Secret to the bundle; returns what is wrong with it, or null. */
  static String add(CertificateRef c, ClusterRefs refs, Map<String, String> bundle) {
    if (c.secretName() == null) {
      return "certFile and keyFile are for the standalone proxy; in a cluster use secretName";
    }
    Secret secret = refs.secrets().get(c.secretName());
    if (secret == null) {
      return "Secret \"" + c.secretName() + "\" not found";
    }
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    String cert = data.get("tls.crt");
    String key = data.get("tls.key");
    if (cert == null || key == null) {
      return "Secret \"" + c.secretName() + "\" needs tls.crt and tls.key (a kubernetes.io/tls Secret)";
    }
    if (!isPem(cert) || !isPem(key)) {
      return "Secret \"" + c.secretName() + "\": tls.crt and tls.key must be PEM";
    }
    bundle.put(c.secretName() + CERT_SUFFIX, cert);
    bundle.put(c.secretName() + KEY_SUFFIX, key);
    return null;
  }

  static String reason(String problem) {
    return problem.endsWith("not found") ? Finding.SECRET_NOT_FOUND : Finding.INVALID_SECRET;
  }

  private static boolean isPem(String base64) {
    try {
      return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.US_ASCII).contains("-----BEGIN ");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
