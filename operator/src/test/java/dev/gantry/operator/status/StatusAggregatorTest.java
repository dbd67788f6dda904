package dev.gantry.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Address;
import dev.gantry.model.Condition;
import dev.gantry.model.LoadBalancerStatus;
import dev.gantry.operator.translate.ClusterRefs;
import dev.gantry.operator.translate.ModelResolver;
import dev.gantry.operator.translate.ModelResolverTest;
import dev.gantry.operator.translate.Resolution;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {

  static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  static final Instant T1 = Instant.parse("2026-01-01T10:05:00Z");

  static Resolution resolution(String spec) {
    return ModelResolver.resolve(ModelResolverTest.lb(spec), ClusterRefs.NONE);
  }

  static final String GOOD = """
      listeners: [{name: http, port: 80, protocol: HTTP, defaultBackend: web}]
      backends: [{name: web, endpoints: [{address: 10.9.9.9, port: 81}]}]
      """;

  static Condition c(LoadBalancerStatus s, String type) {
    return StatusAggregator.find(s, type);
  }

  @Test
  void conditionsKeepTheirTransitionTimeWhileTheirStatusHolds() {
    LoadBalancerStatus first = StatusAggregator.aggregate(new Observed(1, resolution(GOOD),
        List.of(new Address("IPAddress", "203.0.113.7")), 2, 1, 1, null, T0));
    assertThat(c(first, "Accepted").status()).isEqualTo("True");
    assertThat(c(first, "Ready").reason()).isEqualTo("Pending");
    assertThat(c(first, "Ready").message()).isEqualTo("1 of 2 proxy pod(s) serve generation 1");
    assertThat(first.addresses()).containsExactly(new Address("IPAddress", "203.0.113.7"));
    assertThat(first.readyReplicas()).isEqualTo(1);

    LoadBalancerStatus second = StatusAggregator.aggregate(new Observed(2, resolution(GOOD), List.of(), 2, 2, 2,
        first, T1));
    assertThat(c(second, "Accepted").lastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
    assertThat(c(second, "Ready").status()).isEqualTo("True");
    assertThat(c(second, "Ready").lastTransitionTime()).isEqualTo("2026-01-01T10:05:00Z");
    assertThat(second.conditions()).allSatisfy(x -> assertThat(x.observedGeneration()).isEqualTo(2));
    assertThat(second.observedGeneration()).isEqualTo(2);
  }

  @Test
  void nothingServableIsNotProgrammedAndSaysWhy() {
    LoadBalancerStatus s = StatusAggregator.aggregate(new Observed(3, resolution("timeouts: {tunnel: x}\n" + GOOD),
        List.of(), 2, null, 0, null, T0));
    assertThat(c(s, "Accepted").reason()).isEqualTo("Invalid");
    assertThat(c(s, "Accepted").message()).startsWith("spec.timeouts.tunnel: expected a duration");
    assertThat(c(s, "Programmed").status()).isEqualTo("False");
    assertThat(c(s, "Ready").reason()).isEqualTo("NotProgrammed");
    assertThat(s.readyReplicas()).isZero();
  }

  @Test
  void zeroReplicasIsNotReady() {
    LoadBalancerStatus s = StatusAggregator.aggregate(new Observed(1, resolution(GOOD), List.of(), 0, 0, 0, null, T0));
    assertThat(c(s, "Ready").reason()).isEqualTo("ScaledToZero");
  }

  @Test
  void aRefusedServiceAddressIsNotProgrammedAndNamesWhy() {
    String why = "spec.service.addresses 192.0.2.10: the API server refused the fleet's Service: not in range";
    LoadBalancerStatus s = StatusAggregator.aggregate(new Observed(1, resolution(GOOD), List.of(), 1, 1, 1, null, T0,
        why));
    assertThat(c(s, "Accepted").status()).isEqualTo("True");
    assertThat(c(s, "Programmed").status()).isEqualTo("False");
    assertThat(c(s, "Programmed").reason()).isEqualTo("AddressNotUsable");
    assertThat(c(s, "Programmed").message()).isEqualTo(why);
  }
}
