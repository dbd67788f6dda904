package dev.gantry.operator.gateway;

import dev.gantry.model.ClientCertificateMode;
import dev.gantry.model.ClientCertificates;
import dev.gantry.model.ObjectKeyRef;
import dev.gantry.model.ReferenceKind;
import dev.gantry.operator.gateway.api.GatewayApi;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.gateway.api.GatewayResource.FrontendTls;
import dev.gantry.operator.gateway.api.GatewayResource.FrontendValidation;
import dev.gantry.operator.gateway.api.GatewayResource.ObjectRef;
import dev.gantry.operator.gateway.api.ReferenceGrantResource;
import dev.gantry.operator.translate.ClusterRefs;
import dev.gantry.operator.translate.ReferencedPem;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A Gateway's {@code spec.tls.frontend}: client certificate validation for its HTTPS ports (a port's
 * {@code perPort} entry, else the {@code default}) as the model's listener {@code clientCertificates}:
 * {@code AllowValidOnly} is {@code Require}, {@code AllowInsecureFallback} is {@code InsecureFallback}; the CA
 * bundle is the usable ones of its {@code caCertificateRefs} (ConfigMaps or Secrets of the Gateway's namespace,
 * key {@code ca.crt}). What is wrong with the references goes on the port's HTTPS listeners: {@code ResolvedRefs}
 * {@code InvalidCACertificateRef}, {@code InvalidCACertificateKind} or {@code RefNotPermitted}, and, when none
 * is usable, {@code Accepted: False} with {@code NoValidCACertificate}: such a port is not served rather than
 * served without client certificates. Pure.
 */
final class FrontendValidations {

  /** A port's validation: the model's settings (null when none is asked or none is usable) and any problem. */
  record PortValidation(ClientCertificates clientCertificates, String refsReason, String refsMessage,
      boolean noneUsable) {
  }

  private static final PortValidation NONE = new PortValidation(null, null, null, false);

  private final GatewayResource gw;
  private final Function<String, ClusterRefs> refsIn;
  private final List<ReferenceGrantResource> grants;

  FrontendValidations(GatewayResource gw, Function<String, ClusterRefs> refsIn, List<ReferenceGrantResource> grants) {
    this.gw = gw;
    this.refsIn = refsIn;
    this.grants = grants;
  }

  /** Whether a validation of the Gateway lets clients without a valid certificate through. */
  static boolean insecureFallback(GatewayResource gw) {
    FrontendTls f = frontend(gw);
    if (f == null) {
      return false;
    }
    List<FrontendValidation> all = new ArrayList<>();
    if (f.defaults() != null) {
      all.add(f.defaults().validation());
    }
    f.perPortOrEmpty().forEach(p -> all.add(p.tls() == null ? null : p.tls().validation()));
    return all.stream().anyMatch(v -> v != null && "AllowInsecureFallback".equals(v.mode()));
  }

  /** The listeners with what is wrong with their port's validation added (HTTPS listeners only). */
  List<CheckedListener> judge(List<CheckedListener> listeners) {
    return listeners.stream().map(this::judge).toList();
  }

  private CheckedListener judge(CheckedListener l) {
    if (!"HTTPS".equals(l.listener().protocol())) {
      return l;
    }
    PortValidation v = forPort(l.port());
    if (v.refsReason() == null) {
      return l;
    }
    boolean resolved = l.refsResolved();
    boolean accepted = l.accepted() && !v.noneUsable();
    return new CheckedListener(l.listener(), accepted ? l.acceptedReason() : l.accepted() ? "NoValidCACertificate"
        : l.acceptedReason(), accepted ? l.acceptedMessage() : l.accepted() ? "no caCertificateRef of the client "
        + "certificate validation is usable: " + v.refsMessage() : l.acceptedMessage(), l.conflictReason(),
        l.supportedKinds(), resolved ? v.refsReason() : l.refsReason(), resolved ? v.refsMessage() : l.refsMessage(),
        l.certificateSecrets(), l.copies(), l.owner());
  }

  /** The validation of HTTPS port {@code port}. */
  PortValidation forPort(int port) {
    FrontendTls f = frontend(gw);
    if (f == null) {
      return NONE;
    }
    FrontendValidation v = f.perPortOrEmpty().stream().filter(p -> p.port() != null && p.port() == port)
        .findFirst().map(p -> p.tls() == null ? null : p.tls().validation())
        .orElse(f.defaults() == null ? null : f.defaults().validation());
    if (v == null || v.caCertificateRefsOrEmpty().isEmpty()) {
      return NONE;
    }
    List<ObjectKeyRef> usable = new ArrayList<>();
    String reason = null;
    String message = null;
    for (ObjectRef ref : v.caCertificateRefsOrEmpty()) {
      String[] problem = problem(ref);
      if (problem == null) {
        usable.add(new ObjectKeyRef(ReferenceKind.valueOf(kindOf(ref)), ref.name(), null));
      } else if (reason == null) {
        reason = problem[0];
        message = problem[1];
      }
    }
    ClientCertificateMode mode = "AllowInsecureFallback".equals(v.mode()) ? ClientCertificateMode.InsecureFallback
        : ClientCertificateMode.Require;
    ClientCertificates c = usable.isEmpty() ? null
        : new ClientCertificates(mode, null, null, null, null, usable, null);
    return new PortValidation(c, reason, message, usable.isEmpty());
  }

  /** {reason, message} of what is wrong with a CA reference, or null. */
  private String[] problem(ObjectRef ref) {
    String group = GatewayApi.groupOr(ref.group(), "");
    String kind = kindOf(ref);
    if (!group.isEmpty() || !(GatewayApi.CONFIG_MAP.equals(kind) || GatewayApi.SECRET.equals(kind))) {
      return new String[] {"InvalidCACertificateKind", "caCertificateRef " + (group.isEmpty() ? "" : group + "/")
          + kind + " " + ref.name() + " is not a ConfigMap or Secret"};
    }
    String gwNs = gw.getMetadata().getNamespace();
    String ns = ref.namespace() == null ? gwNs : ref.namespace();
    if (!ns.equals(gwNs)) {
      if (!ReferenceGrants.permits(grants, new ReferenceGrants.Reference(GatewayApi.GROUP, GatewayApi.GATEWAY, gwNs,
          "", kind, ns, ref.name()))) {
        return new String[] {"RefNotPermitted", "no ReferenceGrant in " + ns + " lets this Gateway use " + kind
            + " " + ref.name()};
      }
      return new String[] {"InvalidCACertificateRef", kind + " " + ns + "/" + ref.name() + ": CA bundles of "
          + "another namespace are not served yet; the Gateway's load balancer reads its own namespace"};
    }
    ReferencedPem.Read read = ReferencedPem.read(new ObjectKeyRef(ReferenceKind.valueOf(kind), ref.name(), null),
        ObjectKeyRef.CA_KEY, true, refsIn.apply(gwNs));
    return read.failed() ? new String[] {"InvalidCACertificateRef", read.problem()} : null;
  }

  private static String kindOf(ObjectRef ref) {
    return ref.kind() == null ? GatewayApi.CONFIG_MAP : ref.kind();
  }

  private static FrontendTls frontend(GatewayResource gw) {
    return gw.getSpec() == null || gw.getSpec().tls() == null ? null : gw.getSpec().tls().frontend();
  }
}
