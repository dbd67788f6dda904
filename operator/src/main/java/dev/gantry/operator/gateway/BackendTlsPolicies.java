package dev.gantry.operator.gateway;

import dev.gantry.model.Backend;
import dev.gantry.model.BackendProtocol;
import dev.gantry.model.BackendTls;
import dev.gantry.model.ObjectKeyRef;
import dev.gantry.model.ReferenceKind;
import dev.gantry.operator.gateway.api.BackendTlsPolicyResource;
import dev.gantry.operator.gateway.api.BackendTlsPolicyResource.TargetRef;
import dev.gantry.operator.gateway.api.BackendTlsPolicyResource.Validation;
import dev.gantry.operator.gateway.api.GatewayApi;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.ingress.Labels;
import dev.gantry.operator.translate.ClusterRefs;
import dev.gantry.operator.translate.ReferencedPem;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The BackendTLSPolicies of the cluster: which one applies to a Service port (one naming the port by
 * {@code sectionName} before one naming the whole Service; among policies naming the same target, the oldest,
 * then the first by namespace/name, the others {@code Conflicted}), what each is told, and the TLS it gives a
 * backend: the CA bundle of its {@code caCertificateRefs} (ConfigMaps, or Secrets, key {@code ca.crt}),
 * {@code hostname} as SNI and the name verified, unless {@code subjectAltNames} (host names, URIs) are given: the
 * certificate must then carry one of those. A policy that cannot
 * be used makes its backends fail (500), never speak without verification. Pure.
 */
final class BackendTlsPolicies {

  /** What a policy is told, for each Gateway whose routes use a Service it targets. */
  record Verdict(boolean accepted, String acceptedReason, String acceptedMessage, boolean resolved,
      String refsReason, String refsMessage) {
    boolean usable() {
      return accepted && resolved;
    }
  }

  private static final Comparator<BackendTlsPolicyResource> PRECEDENCE = Comparator
      .comparing((BackendTlsPolicyResource p) -> p.getMetadata().getCreationTimestamp() == null ? ""
          : p.getMetadata().getCreationTimestamp())
      .thenComparing(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName());

  static final BackendTlsPolicies NONE = new BackendTlsPolicies(List.of(), ns -> ClusterRefs.NONE);

  private final List<BackendTlsPolicyResource> ordered;
  private final Set<BackendTlsPolicyResource> conflicted = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<BackendTlsPolicyResource, Verdict> verdicts = new IdentityHashMap<>();
  private final Function<String, ClusterRefs> refsIn;

  BackendTlsPolicies(List<BackendTlsPolicyResource> all, Function<String, ClusterRefs> refsIn) {
    this.refsIn = refsIn;
    this.ordered = all.stream().filter(p -> p.getSpec() != null).sorted(PRECEDENCE).toList();
    Map<String, BackendTlsPolicyResource> first = new LinkedHashMap<>();
    for (BackendTlsPolicyResource p : ordered) {
      for (TargetRef t : services(p)) {
        String key = p.getMetadata().getNamespace() + "/" + t.name() + "#" + Objects.requireNonNullElse(
            t.sectionName(), "");
        if (first.putIfAbsent(key, p) != null) {
          conflicted.add(p);
        }
      }
    }
  }

  /**
   * Every policy targeting Service {@code namespace/service} as a whole or its port {@code portName}: the ones
   * a Gateway using that port reports on. In precedence order, those naming the port first.
   */
  List<BackendTlsPolicyResource> targeting(String namespace, String service, String portName) {
    List<BackendTlsPolicyResource> port = new ArrayList<>();
    List<BackendTlsPolicyResource> whole = new ArrayList<>();
    for (BackendTlsPolicyResource p : ordered) {
      if (!p.getMetadata().getNamespace().equals(namespace)) {
        continue;
      }
      for (TargetRef t : services(p)) {
        if (t.name().equals(service) && t.sectionName() != null && t.sectionName().equals(portName)) {
          port.add(p);
        } else if (t.name().equals(service) && t.sectionName() == null) {
          whole.add(p);
        }
      }
    }
    port.addAll(whole);
    return port.stream().distinct().toList();
  }

  Verdict verdict(BackendTlsPolicyResource p) {
    return verdicts.computeIfAbsent(p, this::judge);
  }

  /**
   * {@code b}, a backend of the policy's Service port, as the policy makes it: TLS (HTTP/2 over TLS for
   * {@code h2}) verified as the policy says; or, when the policy cannot be used, the backend that fails requests.
   */
  private Backend apply(Backend b, BackendTlsPolicyResource p, boolean h2) {
    if (!verdict(p).usable()) {
      return BackendRefs.INVALID;
    }
    Validation v = p.getSpec().validation();
    List<ObjectKeyRef> cas = v.caCertificateRefsOrEmpty().stream()
        .map(r -> new ObjectKeyRef(ReferenceKind.valueOf(r.kind()), r.name(), null)).toList();
    List<String> sans = v.subjectAltNamesOrEmpty().stream().map(s -> "URI".equals(s.type()) ? s.uri() : s.hostname())
        .toList();
    // with subjectAltNames, the hostname is the SNI only: the certificate must carry one of them
    BackendTls tls = new BackendTls(null, v.hostname(), sans.isEmpty() ? null : sans, null, null, null, cas, null,
        sans.isEmpty() ? null : false);
    // its own name: a TLSRoute relaying bytes to the same Service port keeps the plain backend
    return new Backend(Labels.of("tls", b.name()), b.service(), b.endpoints(), b.balance(), b.healthCheck(),
        b.maxConnectionsPerEndpoint(), b.proxyProtocol(), h2 ? BackendProtocol.H2 : BackendProtocol.TLS, tls,
        null);
  }

  /**
   * A resolved backendRef of an HTTP or gRPC route as the policy of its Service port makes it, noting in
   * {@code used} every policy targeting that port. TLS and TCP routes relay bytes: their backends stay.
   */
  BackendRefs.Resolved secure(BackendRefs.Resolved r, HttpRouteResource.BackendRef ref, String routeNamespace,
      String gatewayNamespace, String routeKind, Set<BackendTlsPolicyResource> used) {
    boolean h2 = GatewayApi.GRPC_ROUTE.equals(routeKind);
    if (!r.ok() || !(h2 || GatewayApi.HTTP_ROUTE.equals(routeKind)) || ordered.isEmpty()) {
      return r;
    }
    String ns = ref.namespace() == null ? routeNamespace : ref.namespace();
    Service service = refsIn.apply(ns).services().get(ref.name());
    String portName = service == null || service.getSpec() == null || service.getSpec().getPorts() == null ? null
        : service.getSpec().getPorts().stream().filter(sp -> ref.port().equals(sp.getPort())).findFirst()
            .map(ServicePort::getName).orElse(null);
    List<BackendTlsPolicyResource> targeting = targeting(ns, ref.name(), portName);
    used.addAll(targeting);
    BackendTlsPolicyResource p = targeting.stream().filter(x -> !conflicted.contains(x)).findFirst().orElse(null);
    if (p == null) {
      return r;
    }
    if (!ns.equals(gatewayNamespace)) {
      // the CA bundle is in the Service's namespace, which the Gateway's load balancer does not read
      return new BackendRefs.Resolved(BackendRefs.INVALID, null, null);
    }
    return new BackendRefs.Resolved(apply(r.backend(), p, h2), null, null);
  }

  private Verdict judge(BackendTlsPolicyResource p) {
    Validation v = p.getSpec().validation();
    String refsReason = "ResolvedRefs";
    String refsMessage = "every caCertificateRef is resolved";
    int valid = 0;
    for (BackendTlsPolicyResource.LocalRef ref : v == null ? List.<BackendTlsPolicyResource.LocalRef>of()
        : v.caCertificateRefsOrEmpty()) {
      String problem = problem(ref, p.getMetadata().getNamespace());
      if (problem == null) {
        valid++;
      } else if ("ResolvedRefs".equals(refsReason)) {
        refsReason = problem.startsWith("kind") ? "InvalidKind" : "InvalidCACertificateRef";
        refsMessage = "caCertificateRefs " + ref.name() + ": " + problem;
      }
    }
    boolean resolved = "ResolvedRefs".equals(refsReason);
    if (conflicted.contains(p)) {
      return new Verdict(false, "Conflicted", "an older BackendTLSPolicy (or one first by namespace/name) targets "
          + "the same Service and sectionName", resolved, refsReason, refsMessage);
    }
    if (v == null || v.hostname() == null || v.hostname().isEmpty()) {
      return new Verdict(false, "Invalid", "validation.hostname is required", resolved, refsReason, refsMessage);
    }
    if (v.caCertificateRefsOrEmpty().isEmpty()) {
      return new Verdict(false, "Invalid", "wellKnownCACertificates is not supported: name the CA bundle in "
          + "caCertificateRefs", resolved, refsReason, refsMessage);
    }
    if (valid == 0) {
      return new Verdict(false, "NoValidCACertificate", "no caCertificateRef is usable: " + refsMessage, false,
          refsReason, refsMessage);
    }
    String san = unsupportedSan(v);
    if (san != null) {
      return new Verdict(false, "Invalid", san, resolved, refsReason, refsMessage);
    }
    return new Verdict(true, "Accepted", "the policy is accepted", resolved, refsReason, refsMessage);
  }

  /** What is wrong with a CA reference, or null; a problem of its kind starts with "kind". */
  private String problem(BackendTlsPolicyResource.LocalRef ref, String namespace) {
    String group = GatewayApi.groupOr(ref.group(), "");
    boolean known = group.isEmpty() && (GatewayApi.CONFIG_MAP.equals(ref.kind())
        || GatewayApi.SECRET.equals(ref.kind()));
    if (!known) {
      return "kind " + (group.isEmpty() ? "" : group + "/") + ref.kind() + " is not supported: name a ConfigMap "
          + "or a Secret";
    }
    ReferencedPem.Read read = ReferencedPem.read(new ObjectKeyRef(ReferenceKind.valueOf(ref.kind()), ref.name(),
        null), ObjectKeyRef.CA_KEY, true, refsIn.apply(namespace));
    return read.failed() ? read.problem() : null;
  }

  /** Why the policy's subjectAltNames cannot be verified as written, or null. */
  static String unsupportedSan(Validation v) {
    for (BackendTlsPolicyResource.SubjectAltName s : v.subjectAltNamesOrEmpty()) {
      boolean ok = "Hostname".equals(s.type()) ? s.hostname() != null && !s.hostname().isEmpty()
          : "URI".equals(s.type()) && s.uri() != null && !s.uri().isEmpty();
      if (!ok) {
        return "subjectAltNames: type " + s.type() + " needs its hostname or uri";
      }
    }
    return null;
  }

  private static List<TargetRef> services(BackendTlsPolicyResource p) {
    return p.getSpec().targetRefsOrEmpty().stream()
        .filter(t -> GatewayApi.groupOr(t.group(), "").isEmpty() && GatewayApi.SERVICE.equals(t.kind())
            && t.name() != null)
        .toList();
  }
}
