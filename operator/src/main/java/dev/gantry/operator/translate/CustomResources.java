package dev.gantry.operator.translate;

import dev.gantry.model.LoadBalancer;
import dev.gantry.model.Metadata;
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

  /** The names of the Secrets its listeners' certificates come from. */
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
    }
    return names;
  }
}
