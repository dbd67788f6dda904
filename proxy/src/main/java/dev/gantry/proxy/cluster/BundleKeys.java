package dev.gantry.proxy.cluster;

import dev.gantry.model.Backend;
import dev.gantry.model.BackendTls;
import dev.gantry.model.CertificateRef;
import dev.gantry.model.ClientCertificates;
import dev.gantry.model.Listener;
import dev.gantry.model.LoadBalancer;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys of the bundle Secret a resolved model names: in a cluster every file field of the model is a key
 * of that Secret, and a model is applied only once all of them are there.
 */
final class BundleKeys {

  private BundleKeys() {
  }

  static List<String> of(LoadBalancer lb) {
    List<String> keys = new ArrayList<>();
    for (Listener l : lb.spec().listenersOrEmpty()) {
      if (l.tls() == null) {
        continue;
      }
      for (CertificateRef c : l.tls().certificatesOrEmpty()) {
        add(keys, c.certFile(), c.keyFile());
      }
      ClientCertificates client = l.tls().clientCertificates();
      if (client != null) {
        add(keys, client.caFile(), client.crlFile());
      }
    }
    for (Backend b : lb.spec().backendsOrEmpty()) {
      BackendTls tls = b.tls();
      if (tls != null) {
        add(keys, tls.caFile(), tls.certificateFile(), tls.keyFile());
      }
    }
    return keys;
  }

  private static void add(List<String> keys, String... values) {
    for (String v : values) {
      if (v != null) {
        keys.add(v);
      }
    }
  }
}
