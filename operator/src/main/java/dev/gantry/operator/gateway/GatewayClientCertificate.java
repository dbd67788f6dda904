package dev.gantry.operator.gateway;

import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.gateway.api.GatewayResource.ObjectRef;
import dev.gantry.operator.gateway.api.ReferenceGrantResource;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A Gateway's {@code spec.tls.backend.clientCertificateRef} checked: the Secret (of the Gateway's namespace, or
 * the Gateway's copy of one of another namespace a ReferenceGrant allows) the proxies present to backends that
 * speak TLS, or why there is none ({@code InvalidClientCertificateRef}, {@code RefNotPermitted}), for the
 * Gateway's {@code ResolvedRefs}. Pure.
 *
 * @param secret the name of the Secret in the Gateway's namespace; null when none is set or it cannot be used
 * @param copies the copy of a Secret of another namespace to make, by name of the copy
 */
record GatewayClientCertificate(String secret, Map<String, Secret> copies, String reason, String message) {

  static final GatewayClientCertificate NONE = new GatewayClientCertificate(null, Map.of(), null, null);

  boolean resolved() {
    return reason == null;
  }

  static GatewayClientCertificate of(GatewayResource gw, Function<String, Map<String, Secret>> secretsIn,
      List<ReferenceGrantResource> grants) {
    ObjectRef ref = gw.getSpec() == null || gw.getSpec().tls() == null || gw.getSpec().tls().backend() == null
        ? null : gw.getSpec().tls().backend().clientCertificateRef();
    if (ref == null) {
      return NONE;
    }
    String[] problem = ListenerChecks.certificate(gw, ref, secretsIn, grants);
    if (problem[0] != null) {
      String reason = "RefNotPermitted".equals(problem[0]) ? problem[0] : "InvalidClientCertificateRef";
      return new GatewayClientCertificate(null, Map.of(), reason, "tls.backend.clientCertificateRef: " + problem[1]);
    }
    String gwNs = gw.getMetadata().getNamespace();
    String ns = ref.namespace() == null ? gwNs : ref.namespace();
    if (ns.equals(gwNs)) {
      return new GatewayClientCertificate(ref.name(), Map.of(), null, null);
    }
    String copy = ListenerChecks.copyName(gw.getMetadata().getName(), ns, ref.name());
    return new GatewayClientCertificate(copy, Map.of(copy, secretsIn.apply(ns).get(ref.name())), null, null);
  }
}
