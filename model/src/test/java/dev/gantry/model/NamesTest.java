package dev.gantry.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "shop.example.com, true",
      "Shop.Example.COM, true",      // hosts ignore case
      "localhost, true",
      "10.0.0.1, true",              // an IP is a valid Host header
      "*.example.com, true",
      "*.a.b.example.com, true",
      "*.com, false",                // a wildcard over a whole top-level domain
      "*, false",
      "a.*.com, false",
      "*example.com, false",
      "**.example.com, false",
      "example.com., false",
      "-a.example.com, false",
      "a-.example.com, false",
      "a_b.example.com, false",
      "shop.example.com:80, false",
      "'shop example.com', false",
      "'', false"})
  void hostPatterns(String host, boolean valid) {
    assertThat(Names.isHostPattern(host)).isEqualTo(valid);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "*.example.com, true",
      "*.com, true",                 // a route's wildcard may cover a top-level domain, as Gateway API's may
      "shop.example.com, true",
      "*, false",
      "a.*.com, false",
      "**.com, false",
      "*., false"})
  void routeHosts(String host, boolean valid) {
    assertThat(Names.isRouteHost(host)).isEqualTo(valid);
  }

  @Test
  void labelsAreAtMost63Characters() {
    assertThat(Names.isHostname("a".repeat(63) + ".com")).isTrue();
    assertThat(Names.isHostname("a".repeat(64) + ".com")).isFalse();
    assertThat(Names.isDnsLabel("a".repeat(63))).isTrue();
    assertThat(Names.isDnsLabel("a".repeat(64))).isFalse();
    assertThat(Names.isDnsSubdomain("a." .repeat(126) + "a")).isTrue();
    assertThat(Names.isDnsSubdomain("a.".repeat(127) + "a")).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"::", "::1", "fd00::12", "2001:db8::8a2e:370:7334", "2001:db8:0:0:0:0:2:1",
      "::ffff:10.0.0.1", "1:2:3:4:5:6:10.0.0.1", "1::", "FD00::A"})
  void ipv6Literals(String address) {
    assertThat(Names.isIpv6(address)).isTrue();
    assertThat(Names.isAddress(address)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {":", ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "fd00:::1", "1::2::3", "12345::1",
      "g::1", "[::1]", "::1%eth0", "::10.0.0", ":1", "1:", "1:2:3:4:5:6:7:10.0.0.1", "::1.2.3.4:5"})
  void notIpv6Literals(String address) {
    assertThat(Names.isIpv6(address)).isFalse();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"10.0.0.12, true", "255.255.255.255, true", "256.0.0.1, false", "10.0.0, false", "01.2.3.4, false",
      "backend-1.internal, true", "postgres, true", "1.2.3.4.5, false", "under_score, false"})
  void endpointAddresses(String address, boolean valid) {
    assertThat(Names.isAddress(address)).isEqualTo(valid);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"http, true", "https-alt, true", "h2c, true", "8080x, true", "8080, false", "http--alt, false",
      "http_alt, false", "a-very-long-port-name, false", "-http, false"})
  void portNames(String name, boolean valid) {
    assertThat(Names.isPortName(name)).isEqualTo(valid);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"X-Canary, true", "x_custom.header~1, true", "'X Canary', false", "X:Y, false", "'', false",
      "Ünicode, false"})
  void headerNames(String name, boolean valid) {
    assertThat(Names.isHeaderName(name)).isEqualTo(valid);
  }

  @Test
  void editDistanceCountsSingleEdits() {
    assertThat(Names.editDistance("protcol", "protocol")).isEqualTo(1);
    assertThat(Names.editDistance("prot", "port")).isEqualTo(2);
    assertThat(Names.editDistance("", "abc")).isEqualTo(3);
    assertThat(Names.editDistance("same", "same")).isZero();
  }
}
