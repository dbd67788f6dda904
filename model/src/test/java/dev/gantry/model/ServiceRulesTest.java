package dev.gantry.model;

import static dev.gantry.model.Fixtures.HTTP_LISTENER;
import static dev.gantry.model.Fixtures.doc;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code spec.service.addresses}: the cluster IPs the fleet's Service asks for, checked in a cluster only. */
class ServiceRulesTest {

  static LoadResult load(String service, ValidationMode mode) {
    return ModelLoader.load("lb.yaml", doc(HTTP_LISTENER + "  service:\n" + service), mode);
  }

  @Test
  void oneAddressOfEachFamilyIsKept() {
    LoadResult r = load("    type: ClusterIP\n    addresses: [10.96.0.20, \"fd00::20\"]\n", ValidationMode.CLUSTER);
    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.loadBalancers().get(0).spec().service().addressesOrEmpty()).containsExactly("10.96.0.20",
        "fd00::20");
  }

  @Test
  void somethingElseThanAnIpIsNamedWithItsField() {
    LoadResult r = load("    addresses: [gw.example.com, 10.96.0.256, \"010.1.1.1\"]\n", ValidationMode.CLUSTER);
    assertThat(r.diagnostics()).extracting(Diagnostic::toString).containsExactly(
        "lb.yaml:9: spec.service.addresses: at most 2 addresses (one IPv4, one IPv6), got 3",
        "lb.yaml:9: spec.service.addresses[0]: expected an IPv4 or IPv6 address such as 10.96.0.20 or fd00::20, "
            + "got \"gw.example.com\"",
        "lb.yaml:9: spec.service.addresses[1]: expected an IPv4 or IPv6 address such as 10.96.0.20 or fd00::20, "
            + "got \"10.96.0.256\"",
        "lb.yaml:9: spec.service.addresses[2]: expected an IPv4 or IPv6 address such as 10.96.0.20 or fd00::20, "
            + "got \"010.1.1.1\"");
  }

  @Test
  void twoAddressesOfOneFamilyAreRefused() {
    LoadResult r = load("    addresses: [10.96.0.20, 10.96.0.21]\n", ValidationMode.CLUSTER);
    assertThat(r.diagnostics()).extracting(Diagnostic::toString).containsExactly(
        "lb.yaml:9: spec.service.addresses[1]: at most one IPv4 address (a Service has one cluster IP per family), "
            + "got 10.96.0.20 and 10.96.0.21");
  }

  @Test
  void standaloneTheyAreIgnored() {
    assertThat(load("    addresses: [nope]\n", ValidationMode.STANDALONE).diagnostics()).isEmpty();
  }
}
