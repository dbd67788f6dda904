package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostnamesTest {

  @Test
  void aRouteWithoutHostnamesTakesTheListenersAndAListenerWithoutOneTakesTheRoutes() {
    assertThat(Hostnames.intersect("*.example.com", List.of())).containsExactly("*.example.com");
    assertThat(Hostnames.intersect(null, List.of("A.example.com"))).containsExactly("a.example.com");
    assertThat(Hostnames.intersect(null, List.of())).isEmpty();
  }

  @Test
  void theMoreSpecificOfTwoOverlappingNamesIsKept() {
    assertThat(Hostnames.intersect("*.example.com", List.of("foo.example.com", "a.b.example.com", "example.com",
        "*.foo.example.com", "*.com"))).containsExactly("foo.example.com", "a.b.example.com", "*.foo.example.com",
        "*.example.com");
    assertThat(Hostnames.intersect("foo.example.com", List.of("*.example.com", "bar.example.com")))
        .containsExactly("foo.example.com");
  }

  @Test
  void noHostnameInCommonIsNull() {
    assertThat(Hostnames.intersect("foo.example.com", List.of("bar.example.com", "*.other.com"))).isNull();
    assertThat(Hostnames.intersect("*.example.com", List.of("example.com"))).isNull();
  }
}
