package dev.gantry.operator.ingress;

import dev.gantry.model.Backend;
import dev.gantry.model.PathMatch;
import dev.gantry.model.PathType;
import dev.gantry.model.Route;
import dev.gantry.model.RouteBackend;
import dev.gantry.model.ServiceRef;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates an Ingress into routes and backends of the load balancer it attaches to, the way the Ingress
 * API defines them: each rule path becomes a route (pathType Prefix and ImplementationSpecific become
 * Prefix, Exact stays Exact, a missing path is Prefix /), the default backend becomes a route for any host
 * and any path, each Service port a backend, and {@code spec.tls} Secrets certificates. Pure.
 */
public final class IngressTranslator {

  private IngressTranslator() {
  }

  public static IngressParts translate(Ingress ingress) {
    return translate(ingress, false);
  }

  /**
   * @param foreign the Ingress is of another namespace than its load balancer: the names of what it adds
   *     carry its namespace, and its TLS Secrets are named {@code namespace.secret}
   */
  public static IngressParts translate(Ingress ingress, boolean foreign) {
    String ns = ingress.getMetadata().getNamespace();
    String name = foreign ? ns + "-" + ingress.getMetadata().getName() : ingress.getMetadata().getName();
    String backendPrefix = foreign ? "ingress-" + ns : "ingress";
    List<Route> routes = new ArrayList<>();
    Map<String, Backend> backends = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    var spec = ingress.getSpec();
    if (spec == null) {
      return new IngressParts(name, List.of(), List.of(), List.of(), List.of("the Ingress has no spec"));
    }
    List<IngressRule> rules = spec.getRules() == null ? List.of() : spec.getRules();
    for (int r = 0; r < rules.size(); r++) {
      IngressRule rule = rules.get(r);
      if (rule.getHttp() == null || rule.getHttp().getPaths() == null) {
        continue;
      }
      List<String> hosts = rule.getHost() == null || rule.getHost().isEmpty() ? List.of() : List.of(rule.getHost());
      List<HTTPIngressPath> paths = rule.getHttp().getPaths();
      for (int p = 0; p < paths.size(); p++) {
        HTTPIngressPath path = paths.get(p);
        String where = "rules[" + r + "].http.paths[" + p + "]";
        String backend = backendOf(path.getBackend(), where, backendPrefix, backends, problems);
        if (backend == null) {
          continue;
        }
        routes.add(route(Labels.of("ingress", name, r, p), hosts, List.of(pathMatch(path)), backend));
      }
    }
    if (spec.getDefaultBackend() != null) {
      String backend = backendOf(spec.getDefaultBackend(), "defaultBackend", backendPrefix, backends, problems);
      if (backend != null) {
        routes.add(route(Labels.of("ingress", name, "default"), List.of(), List.of(), backend));
      }
    }
    List<String> secrets = new ArrayList<>();
    for (IngressTLS tls : spec.getTls() == null ? List.<IngressTLS>of() : spec.getTls()) {
      String secret = tls.getSecretName() == null || tls.getSecretName().isEmpty() ? null
          : foreign ? qualifiedSecret(ns, tls.getSecretName()) : tls.getSecretName();
      if (secret != null && !secrets.contains(secret)) {
        secrets.add(secret);
      }
    }
    return new IngressParts(name, routes, List.copyOf(backends.values()), secrets, problems);
  }

  static PathMatch pathMatch(HTTPIngressPath path) {
    String value = path.getPath() == null || path.getPath().isEmpty() ? "/" : path.getPath();
    PathType type = "Exact".equals(path.getPathType()) ? PathType.Exact : PathType.Prefix;
    return new PathMatch(type, value);
  }

  /** The model backend for an Ingress backend, created on first use; null (and a problem) when unusable. */
  /** How a Secret of another namespace is named among a load balancer's certificates. */
  public static String qualifiedSecret(String namespace, String secret) {
    return namespace + "." + secret;
  }

  private static String backendOf(IngressBackend b, String where, String prefix, Map<String, Backend> backends,
      List<String> problems) {
    if (b == null || b.getService() == null) {
      problems.add(where + ": only Service backends are supported"
          + (b != null && b.getResource() != null ? " (resource backends are not)" : ""));
      return null;
    }
    IngressServiceBackend s = b.getService();
    if (s.getPort() == null || (s.getPort().getNumber() == null && s.getPort().getName() == null)) {
      problems.add(where + ": Service \"" + s.getName() + "\" needs a port number or name");
      return null;
    }
    String port = s.getPort().getNumber() != null ? s.getPort().getNumber().toString() : s.getPort().getName();
    String name = Labels.of(prefix, s.getName(), port);
    backends.computeIfAbsent(name, n -> Backend.ofService(n, new ServiceRef(s.getName(), port)));
    return name;
  }

  private static Route route(String name, List<String> hosts, List<PathMatch> paths, String backend) {
    return new Route(name, null, hosts, paths, null, null, List.of(RouteBackend.of(backend)), null, null, null, null,
        null);
  }
}
