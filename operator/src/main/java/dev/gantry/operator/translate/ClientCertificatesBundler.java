package dev.gantry.operator.translate;

import dev.gantry.model.ClientCertificates;
import dev.gantry.model.ObjectKeyRef;
import java.util.Map;

/**
 * Puts an HTTPS listener's client certificate CA bundle ({@code caCertificateRefs}, joined into one PEM
 * bundle) and revocation list ({@code crlRef}) into the fleet's bundle, under keys no Secret-named key can
 * take ({@code Listener.<name>.ca.crt}, {@code Listener.<name>.ca.crl}: Secret names have no capitals), and
 * names those keys in {@code caFile} and {@code crlFile}.
 */
final class ClientCertificatesBundler {

  /** The settings pointing at the bundle, or what went wrong. */
  record Outcome(ClientCertificates resolved, Finding finding) {
  }

  private ClientCertificatesBundler() {
  }

  static Outcome bundle(String listener, ClientCertificates c, ClusterRefs refs, Map<String, String> bundle) {
    String where = "listener \"" + listener + "\", clientCertificates: ";
    if (c.caFile() != null || c.crlFile() != null) {
      return new Outcome(null, new Finding(Finding.INVALID, where
          + "caFile and crlFile are for the standalone proxy; in a cluster use caCertificateRefs and crlRef"));
    }
    ReferencedPem.Read ca = ReferencedPem.bundle(c.caCertificateRefsOrEmpty(), ObjectKeyRef.CA_KEY, refs);
    if (ca.failed()) {
      return new Outcome(null, new Finding(ca.reason(), where + ca.problem()));
    }
    String caKey = "Listener." + listener + ".ca.crt";
    String crlKey = null;
    if (c.crlRef() != null) {
      ReferencedPem.Read crl = ReferencedPem.read(c.crlRef(), ObjectKeyRef.CRL_KEY, false, refs);
      if (crl.failed()) {
        return new Outcome(null, new Finding(crl.reason(), where + crl.problem()));
      }
      crlKey = "Listener." + listener + ".ca.crl";
      bundle.put(crlKey, ReferencedPem.base64(crl.bytes()));
    }
    bundle.put(caKey, ReferencedPem.base64(ca.bytes()));
    return new Outcome(new ClientCertificates(c.mode(), caKey, c.depth(), crlKey, c.forward()), null);
  }
}
