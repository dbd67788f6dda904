package dev.gantry.operator.translate;

import dev.gantry.model.ClientCertificates;
import dev.gantry.model.LoadBalancer;
import dev.gantry.model.LoadBalancerSpec;
import dev.gantry.model.Metadata;
import dev.gantry.model.ObjectKeyRef;
import dev.gantry.model.ReferenceKind;
import dev.gantry.operator.api.LoadBalancerResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.List;

/** The custom resource as a model document, and what it references, for the indexes of the caches. */
public final class CustomResources {

  private CustomResources() {
  }

  public static LoadBalancer toModel(LoadBalancerResource r) {
    ObjectMeta m = r.getMetadata();
    return new LoadBalancer(LoadBalancer.API_VERSION, LoadBalancer.KIND,
        new Metadata(m.getName(), m.getNamespace(), m.getGeneration(), null, null), r.getSpec(), null);
  }

  /** The names of the Services its backends use. */
  public static List<String> serviceNames(LoadBalancerResource r) {
    List<String> names = new ArrayList<>();
    if (r.getSpec() != null) {
      r.getSpec().backendsOrEmpty().forEach(b -> {
        if (b != null && b.service() != null && b.service().name() != null) {
          names.add(b.service().name());
        }
      });
    }
    return names;
  }

  /**
   * The names of the Secrets it references: its listeners' certificates and client certificate CAs, its
   * backends' CA bundles and client certificates.
   */
  public static List<String> secretNames(LoadBalancerResource r) {
    List<String> names = new ArrayList<>();
    if (r.getSpec() != null) {
      r.getSpec().listenersOrEmpty().forEach(l -> {
        if (l != null && l.tls() != null) {
          l.tls().certificatesOrEmpty().forEach(c -> {
            if (c != null && c.secretName() != null) {
              names.add(c.secretName());
            }
          });
        }
      });
      keyRefs(r.getSpec(), ReferenceKind.Secret, names);
      r.getSpec().backendsOrEmpty().forEach(b -> {
        if (b != null && b.tls() != null && b.tls().clientCertificateRef() != null
            && b.tls().clientCertificateRef().name() != null) {
          names.add(b.tls().clientCertificateRef().name());
        }
      });
    }
    return names;
  }

  /** The names of the ConfigMaps its CA bundles and revocation lists come from. */
  public static List<String> configMapNames(LoadBalancerResource r) {
    List<String> names = new ArrayList<>();
    if (r.getSpec() != null) {
      keyRefs(r.getSpec(), ReferenceKind.ConfigMap, names);
    }
    return names;
  }

  private static void keyRefs(LoadBalancerSpec spec, ReferenceKind kind, List<String> names) {
    List<ObjectKeyRef> refs = new ArrayList<>();
    spec.listenersOrEmpty().forEach(l -> {
      ClientCertificates c = l == null || l.tls() == null ? null : l.tls().clientCertificates();
      if (c != null) {
        refs.addAll(c.caCertificateRefsOrEmpty());
        refs.add(c.crlRef());
      }
    });
    spec.backendsOrEmpty().forEach(b -> {
      if (b != null && b.tls() != null) {
        refs.addAll(b.tls().caCertificateRefsOrEmpty());
      }
    });
    for (ObjectKeyRef ref : refs) {
      if (ref != null && ref.kind() == kind && ref.name() != null) {
        names.add(ref.name());
      }
    }
  }
}
