package dev.gantry.operator.gateway;

import dev.gantry.model.LoadBalancerSpec;
import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.gateway.api.GatewayApi;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.ingress.Labels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Map;

/** The LoadBalancer that serves a Gateway: named after it, in its namespace, owned by it. Pure. */
public final class GatewayLoadBalancers {

  private GatewayLoadBalancers() {
  }

  /** The name of the LoadBalancer serving Gateway {@code name}: a DNS label, stable. */
  public static String name(String gateway) {
    return Labels.of("gw", gateway);
  }

  static LoadBalancerResource desired(GatewayResource gw, LoadBalancerSpec spec) {
    LoadBalancerResource lb = new LoadBalancerResource();
    lb.setMetadata(new ObjectMetaBuilder()
        .withName(name(gw.getMetadata().getName()))
        .withNamespace(gw.getMetadata().getNamespace())
        .withLabels(Map.of("app.kubernetes.io/managed-by", "gantry-operator"))
        .withOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion(GatewayApi.GROUP + "/" + GatewayApi.V1).withKind(GatewayApi.GATEWAY)
            .withName(gw.getMetadata().getName()).withUid(gw.getMetadata().getUid())
            .withController(true).withBlockOwnerDeletion(true)
            .build())
        .build());
    lb.setSpec(spec);
    return lb;
  }
}
