package dev.gantry.operator.ingress;

import dev.gantry.model.Backend;
import dev.gantry.model.CertificateRef;
import dev.gantry.model.Listener;
import dev.gantry.model.ListenerTls;
import dev.gantry.model.LoadBalancer;
import dev.gantry.model.LoadBalancerSpec;
import dev.gantry.model.PathMatch;
import dev.gantry.model.Protocol;
import dev.gantry.model.Route;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Merges the Ingresses attached to a load balancer into its model. Ingresses on one host merge; where two
 * claim the same host and path, the route precedence rules settle it (the load balancer's own routes come
 * first, then the oldest Ingress), and the Ingress that lost is told which one won. Pure.
 */
public final class IngressAttachment {

  /** The merged model and, per Ingress ({@code namespace/name}), what it should be told. */
  public record Attached(LoadBalancer lb, Map<String, List<String>> problems) {
  }

  /** Oldest first, then by name: the order in which claims are honoured. */
  public static final Comparator<Ingress> AGE = Comparator
      .comparing((Ingress i) -> i.getMetadata().getCreationTimestamp() == null ? ""
          : i.getMetadata().getCreationTimestamp())
      .thenComparing(i -> i.getMetadata().getName());

  private IngressAttachment() {
  }

  public static Attached attach(LoadBalancer lb, List<Ingress> ingresses) {
    return attach(lb, ingresses, ns -> dev.gantry.operator.translate.ClusterRefs.NONE);
  }

  /**
   * @param refsIn what each other namespace holds: an Ingress of another namespace than the load balancer
   *     has its Services resolved to endpoints there, before the load balancer's own are resolved in its own
   */
  public static Attached attach(LoadBalancer lb, List<Ingress> ingresses,
      java.util.function.Function<String, dev.gantry.operator.translate.ClusterRefs> refsIn) {
    LoadBalancerSpec s = lb.spec();
    Map<String, List<String>> problems = new LinkedHashMap<>();
    if (ingresses.isEmpty() || s == null) {
      return new Attached(lb, problems);
    }
    List<Route> routes = new ArrayList<>(s.routesOrEmpty());
    Map<String, Backend> backends = new LinkedHashMap<>();
    s.backendsOrEmpty().forEach(b -> backends.put(b.name(), b));
    List<String> secrets = new ArrayList<>();
    // Which Ingress claimed each (host, path) first; the load balancer's own routes are there before any.
    Map<String, String> claims = new HashMap<>();
    for (Route r : s.routesOrEmpty()) {
      for (String claim : claims(r)) {
        claims.putIfAbsent(claim, "the LoadBalancer's route \"" + r.name() + "\"");
      }
    }
    List<Ingress> ordered = new ArrayList<>(ingresses);
    ordered.sort(AGE);
    for (Ingress ingress : ordered) {
      String id = ingress.getMetadata().getNamespace() + "/" + ingress.getMetadata().getName();
      boolean foreign = !ingress.getMetadata().getNamespace().equals(lb.metadata().namespace());
      IngressParts parts = IngressTranslator.translate(ingress, foreign);
      List<String> told = new ArrayList<>(parts.problems());
      List<Backend> own = parts.backends();
      if (foreign) {
        var refs = refsIn.apply(ingress.getMetadata().getNamespace());
        List<Backend> resolved = new ArrayList<>();
        for (Backend b : own) {
          var r = dev.gantry.operator.translate.EndpointResolver.resolve(b, refs);
          resolved.add(r.backend());
          r.finding().ifPresent(f -> told.add(f.message()));
        }
        own = resolved;
      }
      for (Route r : parts.routes()) {
        for (String claim : claims(r)) {
          String owner = claims.putIfAbsent(claim, "Ingress " + id);
          if (owner != null && !owner.equals("Ingress " + id)) {
            told.add(describe(claim) + " is also claimed by " + owner + ", which takes precedence");
          }
        }
        routes.add(r);
      }
      for (Backend b : own) {
        backends.putIfAbsent(b.name(), b);
      }
      parts.tlsSecrets().forEach(secret -> {
        if (!secrets.contains(secret)) {
          secrets.add(secret);
        }
      });
      if (!parts.tlsSecrets().isEmpty() && s.listenersOrEmpty().stream().noneMatch(l -> l.protocol() == Protocol.HTTPS)) {
        told.add("spec.tls is ignored: the LoadBalancer has no HTTPS listener");
      }
      problems.put(id, told);
    }
    LoadBalancerSpec merged = new LoadBalancerSpec(s.timeouts(), withCertificates(s.listenersOrEmpty(), secrets),
        routes, List.copyOf(backends.values()), s.deployment(), s.service(), s.infrastructure());
    return new Attached(new LoadBalancer(lb.apiVersion(), lb.kind(), lb.metadata(), merged, lb.status()), problems);
  }

  /** The Ingresses' TLS Secrets join the certificates of every HTTPS listener. */
  private static List<Listener> withCertificates(List<Listener> listeners, List<String> secrets) {
    if (secrets.isEmpty()) {
      return listeners;
    }
    List<Listener> out = new ArrayList<>();
    for (Listener l : listeners) {
      if (l.protocol() != Protocol.HTTPS) {
        out.add(l);
        continue;
      }
      ListenerTls tls = l.tls() == null ? new ListenerTls(null, null, null) : l.tls();
      List<CertificateRef> certs = new ArrayList<>(tls.certificatesOrEmpty());
      for (String secret : secrets) {
        if (certs.stream().noneMatch(c -> secret.equals(c.secretName()))) {
          certs.add(new CertificateRef(secret, null, null));
        }
      }
      out.add(new Listener(l.name(), l.port(), l.protocol(), l.redirectToHttps(),
          new ListenerTls(certs, tls.minVersion(), tls.alpn()), l.defaultBackend()));
    }
    return out;
  }

  /** The (host, path) pairs a route matches exactly as another route might: {@code host|type|path}. */
  private static List<String> claims(Route r) {
    List<String> hosts = r.hostsOrEmpty().isEmpty() ? List.of("*") : r.hostsOrEmpty();
    List<String> paths = new ArrayList<>();
    if (r.pathsOrEmpty().isEmpty()) {
      paths.add("any");
    }
    for (PathMatch p : r.pathsOrEmpty()) {
      String value = p.value() == null ? "" : p.value();
      if (p.typeOrDefault() == dev.gantry.model.PathType.Prefix && value.length() > 1 && value.endsWith("/")) {
        value = value.substring(0, value.length() - 1);
      }
      paths.add(p.typeOrDefault() + " " + value);
    }
    List<String> out = new ArrayList<>();
    for (String h : hosts) {
      for (String p : paths) {
        out.add(h.toLowerCase(Locale.ROOT) + "|" + p);
      }
    }
    return out;
  }

  private static String describe(String claim) {
    String[] parts = claim.split("\\|", 2);
    String host = parts[0].equals("*") ? "any host" : "host " + parts[0];
    String path = parts[1].equals("any") ? "the default backend" : "path " + parts[1];
    return path + " on " + host;
  }
}
