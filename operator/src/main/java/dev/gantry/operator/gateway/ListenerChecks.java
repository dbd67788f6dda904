package dev.gantry.operator.gateway;

import dev.gantry.operator.gateway.api.GatewayApi;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.gateway.api.GatewayResource.Listener;
import dev.gantry.operator.gateway.api.GatewayResource.ObjectRef;
import dev.gantry.operator.gateway.api.GatewayResource.RouteGroupKind;
import dev.gantry.operator.gateway.api.ReferenceGrantResource;
import dev.gantry.operator.ingress.Labels;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks a Gateway's listeners: protocol (HTTP, HTTPS, TLS terminated or passed through, and TCP are served),
 * conflicts between listeners on one port (different protocols or TLS modes, or the same hostname twice), the route
 * kinds they allow, and the certificate Secrets of HTTPS and terminating TLS listeners (of another namespace only with a ReferenceGrant: the Gateway then serves a copy
 * of it, kept in its own namespace, where its fleet's key bundle holds the same key anyway). Pure.
 */
final class ListenerChecks {

  static final Set<String> PROTOCOLS = Set.of("HTTP", "HTTPS", "TLS", "TCP");

  private ListenerChecks() {
  }

  /**
   * @param secretsIn the Secrets of a namespace, by name
   */
  static List<CheckedListener> check(GatewayResource gw, Function<String, Map<String, Secret>> secretsIn,
      List<ReferenceGrantResource> grants) {
    List<Listener> listeners = gw.getSpec() == null ? List.of() : gw.getSpec().listenersOrEmpty();
    Map<Integer, Set<String>> protocolsByPort = new HashMap<>();
    Map<String, Integer> hostnameUses = new HashMap<>();
    for (Listener l : listeners) {
      protocolsByPort.computeIfAbsent(l.port(), p -> new java.util.HashSet<>()).add(protocolOnPort(l));
      hostnameUses.merge(conflictKey(l), 1, Integer::sum);
    }
    List<CheckedListener> out = new ArrayList<>();
    for (Listener l : listeners) {
      String conflict = protocolsByPort.get(l.port()).size() > 1 ? "ProtocolConflict"
          : hostnameUses.get(conflictKey(l)) > 1 ? "HostnameConflict" : null;
      out.add(check(gw, l, conflict, secretsIn, grants));
    }
    return out;
  }

  private static CheckedListener check(GatewayResource gw, Listener l, String conflict,
      Function<String, Map<String, Secret>> secretsIn, List<ReferenceGrantResource> grants) {
    return check(ListenerOwner.gateway(gw.getMetadata().getNamespace(), gw.getMetadata().getName()),
        gw.getMetadata().getNamespace(), gw.getMetadata().getName(), l, conflict, secretsIn, grants);
  }

  /**
   * Checks a listener declared by {@code owner} (the Gateway {@code gatewayNamespace/gatewayName} or one of its
   * ListenerSets): its certificate references default to the owner's namespace and are granted to the owner's kind.
   */
  static CheckedListener check(ListenerOwner owner, String gatewayNamespace, String gatewayName, Listener l,
      String conflict, Function<String, Map<String, Secret>> secretsIn, List<ReferenceGrantResource> grants) {
    ListenerOwner declaredBy = owner.isGateway() ? null : owner;
    if (!PROTOCOLS.contains(l.protocol())) {
      return new CheckedListener(l, "UnsupportedProtocol", "protocol " + l.protocol() + " is not served by Gantry "
          + "yet; HTTP, HTTPS, TLS and TCP are", conflict, List.of(), CheckedListener.RESOLVED_REFS,
          "no references", List.of(), Map.of(), declaredBy);
    }
    if ("ProtocolConflict".equals(conflict)) {
      // Neither protocol (or TLS mode) of a port is served: the listener takes no route kinds at all.
      return new CheckedListener(l, conflict, "another listener on port " + l.port() + " has another protocol or "
          + "TLS mode", conflict, List.of(), CheckedListener.RESOLVED_REFS, "no references", List.of(), Map.of(),
          declaredBy);
    }
    List<String> routeKinds = routeKinds(l.protocol());
    List<RouteGroupKind> kinds = new ArrayList<>();
    List<String> invalidKinds = new ArrayList<>();
    if (l.allowedRoutes() == null || l.allowedRoutes().kinds() == null) {
      routeKinds.forEach(k -> kinds.add(new RouteGroupKind(GatewayApi.GROUP, k)));
    } else {
      for (RouteGroupKind k : l.allowedRoutes().kinds()) {
        String group = GatewayApi.groupOr(k.group(), GatewayApi.GROUP);
        if (GatewayApi.GROUP.equals(group) && routeKinds.contains(k.kind())) {
          kinds.add(new RouteGroupKind(group, k.kind()));
        } else {
          invalidKinds.add(group + "/" + k.kind());
        }
      }
    }
    String refsReason = CheckedListener.RESOLVED_REFS;
    String refsMessage = "every reference is resolved";
    if (!invalidKinds.isEmpty()) {
      refsReason = "InvalidRouteKinds";
      refsMessage = "route kinds " + invalidKinds + " are not supported on a " + l.protocol() + " listener";
    }
    List<String> certs = new ArrayList<>();
    Map<String, Secret> copies = new LinkedHashMap<>();
    if ("HTTPS".equals(l.protocol()) || terminatesTls(l)) {
      String problem = null;
      String reason = null;
      if (l.tls() == null || l.tls().certificateRefsOrEmpty().isEmpty()) {
        reason = "InvalidCertificateRef";
        problem = "HTTPS".equals(l.protocol()) ? "an HTTPS listener needs tls.certificateRefs"
            : "a TLS listener of mode Terminate needs tls.certificateRefs";
      } else if (l.tls().mode() != null && !"Terminate".equals(l.tls().mode())) {
        reason = "InvalidTLSConfiguration";
        problem = "tls.mode " + l.tls().mode() + " is not valid on an HTTPS listener";
      }
      for (ObjectRef ref : l.tls() == null ? List.<ObjectRef>of() : l.tls().certificateRefsOrEmpty()) {
        String[] found = certificate(owner, ref, secretsIn, grants);
        if (found[0] != null && reason == null) {
          reason = found[0];
          problem = found[1];
        } else if (found[0] == null) {
          String ns = ref.namespace() == null ? owner.namespace() : ref.namespace();
          if (ns.equals(gatewayNamespace)) {
            certs.add(ref.name());
          } else {
            String copy = copyName(gatewayName, ns, ref.name());
            certs.add(copy);
            copies.put(copy, secretsIn.apply(ns).get(ref.name()));
          }
        }
      }
      if (reason != null && CheckedListener.RESOLVED_REFS.equals(refsReason)) {
        refsReason = reason;
        refsMessage = problem;
      }
    }
    return new CheckedListener(l, CheckedListener.ACCEPTED, "the listener is accepted", conflict, kinds, refsReason,
        refsMessage, certs, copies, declaredBy);
  }

  /** Whether a TLS listener terminates TLS: its mode is Terminate, the default, rather than Passthrough. */
  static boolean terminatesTls(Listener l) {
    return "TLS".equals(l.protocol()) && (l.tls() == null || !"Passthrough".equals(l.tls().mode()));
  }

  /**
   * What listeners sharing a port must agree on: the protocol, and for TLS whether it is terminated, since a port
   * either reads the ClientHello only or does the handshake.
   */
  static String protocolOnPort(Listener l) {
    return terminatesTls(l) ? "TLS/Terminate" : l.protocol();
  }

  /** Listeners with the same key conflict; a TCP listener's hostname is not used, so TCP ports take one. */
  static String conflictKey(Listener l) {
    String host = "TCP".equals(l.protocol()) ? "" : Objects.requireNonNullElse(l.hostname(), "");
    return l.port() + "|" + l.protocol() + "|" + host;
  }

  /** The route kinds a listener of {@code protocol} takes. */
  static List<String> routeKinds(String protocol) {
    return switch (protocol) {
      case "TLS" -> List.of(GatewayApi.TLS_ROUTE);
      case "TCP" -> List.of(GatewayApi.TCP_ROUTE);
      default -> List.of(GatewayApi.HTTP_ROUTE, GatewayApi.GRPC_ROUTE);
    };
  }

  /** The name of the Gateway's copy of a granted Secret of another namespace. */
  static String copyName(String gateway, String namespace, String secret) {
    return Labels.of("gw", gateway, "cert", namespace, secret);
  }

  /** {reason, message} of what is wrong with a certificate reference, or {null, null}. */
  static String[] certificate(GatewayResource gw, ObjectRef ref, Function<String, Map<String, Secret>> secretsIn,
      List<ReferenceGrantResource> grants) {
    return certificate(ListenerOwner.gateway(gw.getMetadata().getNamespace(), gw.getMetadata().getName()), ref,
        secretsIn, grants);
  }

  private static String[] certificate(ListenerOwner owner, ObjectRef ref,
      Function<String, Map<String, Secret>> secretsIn, List<ReferenceGrantResource> grants) {
    String ns = owner.namespace();
    if (!"".equals(GatewayApi.groupOr(ref.group(), "")) || !GatewayApi.SECRET.equals(ref.kind() == null
        ? GatewayApi.SECRET : ref.kind())) {
      return new String[] {"InvalidCertificateRef", "certificateRef " + ref.kind() + " " + ref.name()
          + " is not a Secret"};
    }
    String target = ref.namespace() == null ? ns : ref.namespace();
    if (!target.equals(ns)) {
      boolean granted = ReferenceGrants.permits(grants, new ReferenceGrants.Reference(GatewayApi.GROUP,
          owner.kind(), ns, "", GatewayApi.SECRET, target, ref.name()));
      if (!granted) {
        return new String[] {"RefNotPermitted", "no ReferenceGrant in " + target + " lets this " + owner.kind()
            + " use Secret " + ref.name()};
      }
    }
    Secret s = secretsIn.apply(target).get(ref.name());
    if (s == null) {
      return new String[] {"InvalidCertificateRef", "Secret " + target + "/" + ref.name() + " not found"};
    }
    Map<String, String> data = s.getData() == null ? Map.of() : s.getData();
    if (!data.containsKey("tls.crt") || !data.containsKey("tls.key") || !readable(data.get("tls.crt"))) {
      return new String[] {"InvalidCertificateRef", "Secret " + ref.name()
          + " does not hold a PEM certificate and key (tls.crt, tls.key)"};
    }
    return new String[] {null, null};
  }

  private static boolean readable(String base64) {
    try {
      byte[] pem = Base64.getDecoder().decode(base64);
      return !CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).isEmpty();
    } catch (IllegalArgumentException | CertificateException e) {
      return false;
    }
  }
}
