package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Address;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.translate.ClusterRefs;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Gateway's {@code spec.infrastructure}: labels and annotations for its fleet; parameters are refused. */
class GatewayInfrastructureTest {

  static final String GATEWAY = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: edge, namespace: infra, generation: 3}
      spec:
        gatewayClassName: gantry
        listeners: [{name: http, port: 8080, protocol: HTTP}]
      """;

  static GatewayPlan plan(GatewayResource gw) {
    return GatewayTranslator.translate(new GatewayInputs(gw, List.of(), Map.of(), List.of(), ns -> ClusterRefs.NONE));
  }

  @Test
  void labelsAndAnnotationsGoToTheLoadBalancerWithTheGatewaysName() {
    GatewayPlan plan = plan(GatewayTranslatorTest.gateway(GATEWAY + """
          infrastructure:
            labels: {key2: value2}
            annotations: {key1: value1}
        """));
    assertThat(plan.spec().infrastructure().labelsOrEmpty())
        .isEqualTo(Map.of("key2", "value2", "gateway.networking.k8s.io/gateway-name", "edge"));
    assertThat(plan.spec().infrastructure().annotationsOrEmpty()).isEqualTo(Map.of("key1", "value1"));
    assertThat(GatewayTranslatorTest.validate(plan)).isEmpty();
  }

  @Test
  void withoutInfrastructureTheFleetStillCarriesTheGatewaysName() {
    GatewayPlan plan = plan(GatewayTranslatorTest.gateway(GATEWAY));
    assertThat(plan.spec().infrastructure().labelsOrEmpty())
        .isEqualTo(Map.of("gateway.networking.k8s.io/gateway-name", "edge"));
    assertThat(plan.spec().infrastructure().annotations()).isNull();
  }

  @Test
  void parametersAreNotServedAndTheGatewayIsNotAccepted() {
    GatewayResource gw = GatewayTranslatorTest.gateway(GATEWAY + """
          infrastructure:
            parametersRef: {group: example.com, kind: Config, name: missing}
        """);
    GatewayPlan plan = plan(gw);
    assertThat(plan.spec()).isNull();
    GatewayResource.Status status = GatewayStatuses.of(gw, plan, true,
        List.of(new Address("IPAddress", "198.19.0.9")), Instant.EPOCH);
    assertThat(GatewayStatusesTest.find(status.conditions(), "Accepted").reason()).isEqualTo("InvalidParameters");
    assertThat(GatewayStatusesTest.find(status.conditions(), "Accepted").status()).isEqualTo("False");
    assertThat(GatewayStatusesTest.find(status.conditions(), "Programmed").status()).isEqualTo("False");
  }
}
