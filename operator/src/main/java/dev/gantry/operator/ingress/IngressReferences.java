package dev.gantry.operator.ingress;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.ArrayList;
import java.util.List;

/** The Services and Secrets an Ingress names, for the operator's indexes. */
public final class IngressReferences {

  private IngressReferences() {
  }

  public static List<String> serviceNames(Ingress i) {
    List<String> names = new ArrayList<>();
    if (i.getSpec() == null) {
      return names;
    }
    add(i.getSpec().getDefaultBackend(), names);
    for (IngressRule r : i.getSpec().getRules() == null ? List.<IngressRule>of() : i.getSpec().getRules()) {
      if (r.getHttp() != null && r.getHttp().getPaths() != null) {
        for (HTTPIngressPath p : r.getHttp().getPaths()) {
          add(p.getBackend(), names);
        }
      }
    }
    return names.stream().distinct().toList();
  }

  public static List<String> secretNames(Ingress i) {
    if (i.getSpec() == null || i.getSpec().getTls() == null) {
      return List.of();
    }
    return i.getSpec().getTls().stream().map(IngressTLS::getSecretName)
        .filter(n -> n != null && !n.isEmpty()).distinct().toList();
  }

  private static void add(IngressBackend b, List<String> names) {
    if (b != null && b.getService() != null && b.getService().getName() != null) {
      names.add(b.getService().getName());
    }
  }
}
