package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Address;
import dev.gantry.model.Condition;
import dev.gantry.operator.gateway.api.GatewayResource;
import dev.gantry.operator.translate.ClusterRefs;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Gateway's status: Programmed follows its fleet, listeners with unresolved references are not programmed. */
class GatewayStatusesTest {

  static final String GATEWAY = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: infra, generation: 2}
      spec:
        gatewayClassName: gantry
        listeners:
        - {name: http, port: 80, protocol: HTTP}
        - {name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: missing}]}}
      """;
  static final List<Address> ADDRESS = List.of(new Address("IPAddress", "198.19.0.9"));

  static GatewayResource.Status status(String yaml, boolean serving, List<Address> addresses) {
    GatewayResource gw = GatewayTranslatorTest.gateway(yaml);
    GatewayPlan plan = GatewayTranslator.translate(new GatewayInputs(gw, List.of(), Map.of(), List.of(),
        ns -> ClusterRefs.NONE));
    return GatewayStatuses.of(gw, plan, serving, addresses, Instant.EPOCH);
  }

  static Condition find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.type())).findFirst().orElseThrow();
  }

  @Test
  void programmedOnceTheFleetServesWithAnAddress() {
    GatewayResource.Status serving = status(GATEWAY, true, ADDRESS);
    assertThat(find(serving.conditions(), "Programmed").status()).isEqualTo("True");
    assertThat(serving.addresses()).extracting(GatewayResource.Address::value).containsExactly("198.19.0.9");
    assertThat(find(serving.listeners().get(0).conditions(), "Programmed").status()).isEqualTo("True");
    // the HTTPS listener's certificate is missing: never programmed, whatever the fleet does
    assertThat(find(serving.listeners().get(1).conditions(), "Programmed").reason()).isEqualTo("Invalid");
    assertThat(find(serving.listeners().get(1).conditions(), "ResolvedRefs").reason())
        .isEqualTo("InvalidCertificateRef");
    assertThat(serving.conditions()).allSatisfy(c -> assertThat(c.observedGeneration()).isEqualTo(2L));

    GatewayResource.Status waiting = status(GATEWAY, false, ADDRESS);
    assertThat(find(waiting.conditions(), "Programmed").reason()).isEqualTo("Pending");
    assertThat(find(status(GATEWAY, true, List.of()).conditions(), "Programmed").reason()).isEqualTo("Pending");
  }

  @Test
  void addressesOfOtherTypesThanIpAddressAreNotSupported() {
    GatewayResource.Status s = status(GATEWAY + "  addresses: [{type: Hostname, value: gw.example.com}, "
        + "{type: test/fake-invalid-type, value: x}]\n", true, ADDRESS);
    assertThat(find(s.conditions(), "Accepted").reason()).isEqualTo("UnsupportedAddress");
    assertThat(find(s.conditions(), "Accepted").message()).isEqualTo("spec.addresses: address type Hostname is not "
        + "supported (IPAddress is); address type test/fake-invalid-type is not supported (IPAddress is)");
    assertThat(find(s.conditions(), "Programmed").reason()).isEqualTo("AddressNotUsable");
  }

  @Test
  void anIpAddressIsAcceptedAndProgrammedUnlessItIsNotUsable() {
    String yaml = GATEWAY + "  addresses: [{type: IPAddress, value: 198.19.0.9}]\n";
    GatewayResource.Status usable = status(yaml, true, ADDRESS);
    assertThat(find(usable.conditions(), "Accepted").reason()).isEqualTo("Accepted");
    assertThat(find(usable.conditions(), "Programmed").status()).isEqualTo("True");
    assertThat(usable.addresses()).containsExactly(new GatewayResource.Address("IPAddress", "198.19.0.9"));

    GatewayResource gw = GatewayTranslatorTest.gateway(yaml);
    GatewayPlan plan = GatewayTranslator.translate(new GatewayInputs(gw, List.of(), Map.of(), List.of(),
        ns -> ClusterRefs.NONE));
    GatewayResource.Status refused = GatewayStatuses.of(gw, plan, false, List.of(), "spec.service.addresses "
        + "198.19.0.9: the API server refused the fleet's Service: not in the valid range", Instant.EPOCH);
    assertThat(find(refused.conditions(), "Accepted").status()).isEqualTo("True");
    assertThat(find(refused.conditions(), "Programmed").reason()).isEqualTo("AddressNotUsable");
    assertThat(find(refused.conditions(), "Programmed").message()).contains("198.19.0.9", "not in the valid range");
  }

  @Test
  void anIpAddressWithoutAValueIsTheOneTheFleetGets() {
    GatewayResource.Status s = status(GATEWAY + "  addresses: [{type: IPAddress}]\n", true, ADDRESS);
    assertThat(find(s.conditions(), "Accepted").status()).isEqualTo("True");
    assertThat(find(s.conditions(), "Programmed").status()).isEqualTo("True");
    assertThat(s.addresses()).extracting(GatewayResource.Address::value).containsExactly("198.19.0.9");
  }
}
