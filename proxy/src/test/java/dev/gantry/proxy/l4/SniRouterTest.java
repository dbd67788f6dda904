package dev.gantry.proxy.l4;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Routes of TLS listeners by server name: the precedence HTTP hosts have. */
class SniRouterTest {

  static final TlsRoute SHOP = new TlsRoute("shop", null);
  static final TlsRoute WILD = new TlsRoute("wild", null);
  static final TlsRoute DEEP = new TlsRoute("deep", null);
  static final TlsRoute ANY = new TlsRoute("any", null);
  static final TlsRoute LATER = new TlsRoute("later", null);

  final SniRouter router = new SniRouter.Builder()
      .add(WILD, List.of("*.example.com"))
      .add(SHOP, List.of("Shop.Example.com"))
      .add(DEEP, List.of("*.eu.example.com"))
      .add(ANY, List.of())
      .add(LATER, List.of("shop.example.com", "*.example.com"))
      .build();

  @Test
  void exactBeatsWildcardWhateverTheOrder() {
    assertThat(router.route("shop.example.com")).isSameAs(SHOP);
  }

  @Test
  void theLongestWildcardSuffixWins() {
    assertThat(router.route("a.eu.example.com")).isSameAs(DEEP);
    assertThat(router.route("a.example.com")).isSameAs(WILD);
    assertThat(router.route("a.b.example.com")).isSameAs(WILD);
  }

  @Test
  void routesForAnyNameComeLastAndTheEarlierRouteWinsATie() {
    assertThat(router.route("example.com")).isSameAs(ANY);
    assertThat(router.route("other.test")).isSameAs(ANY);
  }

  @Test
  void aWildcardOverATopLevelDomainCoversEveryNameBelowIt() {
    SniRouter tld = new SniRouter.Builder().add(SHOP, List.of("abc.example.com")).add(WILD, List.of("*.com")).build();
    assertThat(tld.route("abc.example.com")).isSameAs(SHOP);
    assertThat(tld.route("other.example.com")).isSameAs(WILD);
    assertThat(tld.route("non.matching.org")).isNull();
    assertThat(tld.route("com")).isNull();
  }

  @Test
  void noServerNameMatchesNoRoute() {
    assertThat(router.route(null)).isNull();
    assertThat(new SniRouter.Builder().build().route("a.example.com")).isNull();
  }
}
