package dev.gantry.operator.gateway;

import dev.gantry.operator.gateway.api.GatewayApi;
import dev.gantry.operator.gateway.api.GatewayResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;

/**
 * The Gateway's copy of a certificate Secret of another namespace that a ReferenceGrant lets it use: in the
 * Gateway's namespace (where the LoadBalancer reads its certificates), owned by the Gateway, labelled with the
 * LoadBalancer it serves so that copies no longer needed are found and removed. Pure.
 */
final class CertificateCopies {

  /** On a copy: the name of the Gateway's LoadBalancer. */
  static final String LABEL = "gantry.dev/gateway-certificate-of";

  private CertificateCopies() {
  }

  static Secret desired(GatewayResource gw, String name, Secret source) {
    return new SecretBuilder()
        .withMetadata(new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(gw.getMetadata().getNamespace())
            .withLabels(Map.of("app.kubernetes.io/managed-by", "gantry-operator",
                LABEL, GatewayLoadBalancers.name(gw.getMetadata().getName())))
            .withAnnotations(Map.of("gantry.dev/copied-from", source.getMetadata().getNamespace() + "/"
                + source.getMetadata().getName()))
            .withOwnerReferences(new OwnerReferenceBuilder()
                .withApiVersion(GatewayApi.GROUP + "/" + GatewayApi.V1).withKind(GatewayApi.GATEWAY)
                .withName(gw.getMetadata().getName()).withUid(gw.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true)
                .build())
            .build())
        .withType("kubernetes.io/tls")
        .withData(Map.of("tls.crt", source.getData().get("tls.crt"), "tls.key", source.getData().get("tls.key")))
        .build();
  }
}
