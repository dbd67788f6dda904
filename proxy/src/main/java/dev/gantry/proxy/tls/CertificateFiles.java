package dev.gantry.proxy.tls;

import dev.gantry.model.Backend;
import dev.gantry.model.BackendTls;
import dev.gantry.model.CertificateRef;
import dev.gantry.model.ClientCertificates;
import dev.gantry.model.Listener;
import dev.gantry.model.LoadBalancer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The PEM files a standalone configuration names, so their changes can be watched. */
public final class CertificateFiles {

  private CertificateFiles() {
  }

  public static List<Path> referencedBy(List<LoadBalancer> loadBalancers, Path baseDirectory) {
    Set<Path> out = new LinkedHashSet<>();
    for (LoadBalancer lb : loadBalancers) {
      for (Listener l : lb.spec().listenersOrEmpty()) {
        if (l.tls() != null) {
          for (CertificateRef ref : l.tls().certificatesOrEmpty()) {
            out.addAll(FileCertificateResolver.files(baseDirectory, ref));
          }
          ClientCertificates client = l.tls().clientCertificates();
          if (client != null && client.caFile() != null) {
            out.add(baseDirectory.resolve(client.caFile()));
          }
          if (client != null && client.crlFile() != null) {
            out.add(baseDirectory.resolve(client.crlFile()));
          }
        }
      }
      for (Backend b : lb.spec().backendsOrEmpty()) {
        BackendTls tls = b.tls();
        if (tls != null) {
          for (String file : java.util.Arrays.asList(tls.caFile(), tls.certificateFile(), tls.keyFile())) {
            if (file != null) {
              out.add(baseDirectory.resolve(file));
            }
          }
        }
      }
    }
    return new ArrayList<>(out);
  }
}
