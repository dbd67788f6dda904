package dev.gantry.operator.ingress;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassParametersReference;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which load balancer an Ingress attaches to. An Ingress is ours when its class (by
 * {@code ingressClassName}, or the default class when it names none) is an IngressClass whose controller is
 * {@value #CONTROLLER}. The class's {@code parameters} name the LoadBalancer: with {@code scope: Namespace}
 * the one in that namespace, serving the Ingresses of every namespace (each one's Services and Secrets are
 * read in its own namespace), like one shared ingress controller; otherwise the LoadBalancer of that name
 * in each Ingress's own namespace. Pure.
 */
public final class IngressClasses {

  public static final String CONTROLLER = "gantry.dev/ingress-controller";
  public static final String DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
  /** The class annotation of Ingresses written before {@code ingressClassName} existed. */
  public static final String LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

  /** The load balancer an Ingress attaches to. */
  public record Target(String namespace, String name) {
  }

  /** Where an Ingress goes: a target, or a problem to report on it; empty when the Ingress is not ours. */
  public record Outcome(Target target, String problem) {
  }

  private IngressClasses() {
  }

  public static Optional<Outcome> resolve(Ingress ingress, Collection<IngressClass> classes) {
    IngressClass cls = classOf(ingress, classes);
    if (cls == null || !CONTROLLER.equals(cls.getSpec() == null ? null : cls.getSpec().getController())) {
      return Optional.empty();
    }
    String className = cls.getMetadata().getName();
    IngressClassParametersReference p = cls.getSpec().getParameters();
    if (p == null || !"gantry.dev".equals(p.getApiGroup()) || !"LoadBalancer".equals(p.getKind())
        || p.getName() == null) {
      return Optional.of(new Outcome(null, "IngressClass \"" + className
          + "\" must name a LoadBalancer in spec.parameters (apiGroup gantry.dev, kind LoadBalancer)"));
    }
    if ("Namespace".equals(p.getScope()) && p.getNamespace() != null) {
      return Optional.of(new Outcome(new Target(p.getNamespace(), p.getName()), null));
    }
    return Optional.of(new Outcome(new Target(ingress.getMetadata().getNamespace(), p.getName()), null));
  }

  /** The Ingress's class: the one it names, else the single class marked default. */
  static IngressClass classOf(Ingress ingress, Collection<IngressClass> classes) {
    String name = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
    if (name == null) {
      Map<String, String> annotations = ingress.getMetadata().getAnnotations();
      name = annotations == null ? null : annotations.get(LEGACY_CLASS_ANNOTATION);
    }
    if (name != null) {
      for (IngressClass c : classes) {
        if (name.equals(c.getMetadata().getName())) {
          return c;
        }
      }
      return null;
    }
    List<IngressClass> defaults = classes.stream().filter(IngressClasses::isDefault).toList();
    return defaults.size() == 1 ? defaults.get(0) : null;
  }

  static boolean isDefault(IngressClass c) {
    Map<String, String> a = c.getMetadata().getAnnotations();
    return a != null && "true".equals(a.get(DEFAULT_CLASS_ANNOTATION));
  }
}
