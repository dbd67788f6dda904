package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Condition;
import dev.gantry.model.LoadBalancerStatus;
import dev.gantry.operator.api.LoadBalancerResource;
import dev.gantry.operator.translate.ClusterRefs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Gateway's {@code spec.addresses} as the cluster IPs of its fleet's Service. */
class GatewayAddressesTest {

  static GatewayAddresses of(String addresses) {
    return GatewayAddresses.of(GatewayTranslatorTest.gateway(GatewayStatusesTest.GATEWAY + "  addresses: "
        + addresses + "\n"));
  }

  @Test
  void ipAddressesWithAValueAreTheServicesFirstOfEachFamily() {
    GatewayAddresses a = of("[{type: IPAddress, value: 192.0.2.10}, {value: \"fd00::9\"}, {type: IPAddress}, "
        + "{value: 198.19.0.200}]");
    assertThat(a.unsupported()).isNull();
    assertThat(a.forService()).containsExactly("192.0.2.10", "fd00::9");
    assertThat(a.notUsable(null)).isEqualTo("spec.addresses: a Service has one cluster IP per IP family; "
        + "198.19.0.200 left out for 192.0.2.10, fd00::9");
  }

  @Test
  void anEmptyIpAddressAsksForNoneInParticular() {
    GatewayAddresses a = of("[{type: IPAddress}]");
    assertThat(a.unsupported()).isNull();
    assertThat(a.forService()).isNull();
    assertThat(a.notUsable(null)).isNull();
  }

  @Test
  void otherTypesAndValuesThatAreNoIpAreUnsupported() {
    assertThat(of("[{type: NamedAddress, value: pool-a}, {type: IPAddress, value: gw.example.com}]").unsupported())
        .isEqualTo("spec.addresses: address type NamedAddress is not supported (IPAddress is); gw.example.com is "
            + "not an IP address");
  }

  @Test
  void theLoadBalancersRefusalIsPassedOn() {
    LoadBalancerResource lb = new LoadBalancerResource();
    lb.setStatus(new LoadBalancerStatus(1L, List.of(new Condition("Programmed", "False", 1L, "2026-01-01T00:00:00Z",
        "AddressNotUsable", "spec.service.addresses 192.0.2.10: refused")), null, null, null, 0));
    assertThat(of("[{value: 192.0.2.10}]").notUsable(lb)).isEqualTo("spec.service.addresses 192.0.2.10: refused");
    lb.setStatus(new LoadBalancerStatus(1L, List.of(new Condition("Programmed", "True", 1L, "2026-01-01T00:00:00Z",
        "Programmed", "written")), null, null, null, 0));
    assertThat(of("[{value: 192.0.2.10}]").notUsable(lb)).isNull();
  }

  @Test
  void theTranslatedLoadBalancerAsksForTheAddresses() {
    GatewayPlan plan = GatewayTranslator.translate(new GatewayInputs(GatewayTranslatorTest.gateway(
        GatewayStatusesTest.GATEWAY + "  addresses: [{value: 198.19.0.200}, {type: IPAddress}]\n"), List.of(),
        Map.of(), List.of(), ns -> ClusterRefs.NONE));
    assertThat(plan.spec().service().addressesOrEmpty()).containsExactly("198.19.0.200");
    GatewayPlan none = GatewayTranslator.translate(new GatewayInputs(GatewayTranslatorTest.gateway(
        GatewayStatusesTest.GATEWAY), List.of(), Map.of(), List.of(), ns -> ClusterRefs.NONE));
    assertThat(none.spec().service().addresses()).isNull();
  }
}
