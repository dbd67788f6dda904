package dev.gantry.operator.translate;

import dev.gantry.model.Backend;
import dev.gantry.model.BackendProtocol;
import dev.gantry.model.BackendStatus;
import dev.gantry.model.BackendTls;
import dev.gantry.model.CertificateRef;
import dev.gantry.model.ObjectKeyRef;
import java.util.List;
import java.util.Map;

/**
 * Puts what a TLS backend verifies with and presents into the fleet's bundle: its CA bundle
 * ({@code caCertificateRefs}, joined) under {@code Backend.<name>.ca.crt} (Secret names have no capitals, so
 * no listener key can take it), and its client certificate Secret under {@code <secret>.crt} and
 * {@code <secret>.key}, as listener certificates travel; the model names those keys in {@code caFile},
 * {@code certificateFile} and {@code keyFile}. A backend whose TLS cannot be set up is kept with no endpoint,
 * as a missing Service is: its requests get 503, everything else is served, the finding says why.
 */
final class BackendTlsBundler {

  /** The backend as the proxy gets it, its figures, and what went wrong. */
  record Outcome(Backend backend, BackendStatus status, Finding finding) {
  }

  private BackendTlsBundler() {
  }

  /** {@code b} is resolved: concrete endpoints, and its protocol as the Service's appProtocol gave it. */
  static Outcome bundle(Backend b, BackendStatus status, ClusterRefs refs, Map<String, String> bundle) {
    BackendTls tls = b.tls();
    boolean usesTls = b.protocol() == BackendProtocol.TLS || b.protocol() == BackendProtocol.H2;
    if (!usesTls && tls == null) {
      return new Outcome(b, status, null);
    }
    String where = "backend \"" + b.name() + "\": ";
    if (tls == null) {
      return unavailable(b, Finding.INVALID, where + "its Service port's appProtocol asks for TLS: set tls."
          + "caCertificateRefs (or tls.insecureSkipVerify: true) to say how the backend's certificate is verified");
    }
    if (!usesTls) {
      return unavailable(b, Finding.INVALID, where + "tls needs protocol TLS or H2, set on the backend or "
          + "given by its Service port's appProtocol (https, kubernetes.io/https or kubernetes.io/wss)");
    }
    if (tls.caFile() != null || tls.certificateFile() != null || tls.keyFile() != null) {
      return unavailable(b, Finding.INVALID, where + "caFile, certificateFile and keyFile are for the standalone "
          + "proxy; in a cluster use tls.caCertificateRefs and tls.clientCertificateRef");
    }
    String caKey = null;
    if (!tls.caCertificateRefsOrEmpty().isEmpty()) {
      ReferencedPem.Read ca = ReferencedPem.bundle(tls.caCertificateRefsOrEmpty(), ObjectKeyRef.CA_KEY, refs);
      if (ca.failed()) {
        return unavailable(b, ca.reason(), where + ca.problem() + "; its requests get 503 until it is there");
      }
      caKey = "Backend." + b.name() + ".ca.crt";
      bundle.put(caKey, ReferencedPem.base64(ca.bytes()));
    }
    String certKey = null;
    String keyKey = null;
    if (tls.clientCertificateRef() != null) {
      String secret = tls.clientCertificateRef().name();
      String problem = TlsBundler.add(new CertificateRef(secret, null, null), refs, bundle);
      if (problem != null) {
        return unavailable(b, TlsBundler.reason(problem), where + "clientCertificateRef: " + problem
            + "; its requests get 503 until it is there");
      }
      certKey = secret + TlsBundler.CERT_SUFFIX;
      keyKey = secret + TlsBundler.KEY_SUFFIX;
    }
    BackendTls resolved = new BackendTls(caKey, tls.serverName(), tls.subjectAltNames(), certKey, keyKey,
        tls.insecureSkipVerify(), null, null, tls.verifyServerName());
    return new Outcome(new Backend(b.name(), null, b.endpoints(), b.balance(), b.healthCheck(),
        b.maxConnectionsPerEndpoint(), b.proxyProtocol(), b.protocol(), resolved), status, null);
  }

  private static Outcome unavailable(Backend b, String reason, String message) {
    Backend none = new Backend(b.name(), null, List.of(), b.balance(), b.healthCheck(), b.maxConnectionsPerEndpoint(),
        b.proxyProtocol(), null, null);
    return new Outcome(none, new BackendStatus(b.name(), 0, 0), new Finding(reason, message));
  }
}
