package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.config.SessionTokens;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading a session cookie among others, and the shape and fields of tokens. */
class StickySessionsTest {

  @Test
  void findsTheCookieByItsExactNameInAnyOfTheCookieHeaders() {
    assertThat(StickySessions.cookie(List.of("a=1; SERVERID=tok; b=2"), "SERVERID")).isEqualTo("tok");
    assertThat(StickySessions.cookie(List.of("SERVERID=first"), "SERVERID")).isEqualTo("first");
    assertThat(StickySessions.cookie(List.of("a=1", "SERVERID=\"quoted\" "), "SERVERID")).isEqualTo("quoted");
    assertThat(StickySessions.cookie(List.of("XSERVERID=no; SERVERIDX=no; SERVERID"), "SERVERID")).isNull();
    assertThat(StickySessions.cookie(List.of("SERVERID=; a=1"), "SERVERID")).isEmpty();
    assertThat(StickySessions.cookie(List.of(";;; ;"), "SERVERID")).isNull();
    assertThat(StickySessions.cookie(List.of(), "SERVERID")).isNull();
  }

  @Test
  void aKeyNamesTheEndpointOfItsBackendAndLoadBalancerWithoutShowingTheAddress() {
    String key = SessionTokens.key("web/shop", "api", "10.1.2.3:8080");

    assertThat(key).hasSize(SessionTokens.KEY_LENGTH).matches("[A-Za-z0-9_-]+").doesNotContain("10");
    assertThat(SessionTokens.key("web/shop", "api", "10.1.2.3:8080")).as("the same on every replica").isEqualTo(key);
    assertThat(SessionTokens.key("web/shop", "api", "10.1.2.4:8080")).isNotEqualTo(key);
    assertThat(SessionTokens.key("web/shop", "www", "10.1.2.3:8080")).isNotEqualTo(key);
    assertThat(SessionTokens.key("web/blog", "api", "10.1.2.3:8080")).isNotEqualTo(key);
  }

  @Test
  void aTokenCarriesItsTimesInBase36AndOnlyWellFormedOnesAreRead() {
    String token = SessionTokens.token("AAAAAAAAAAA", 1_700_000_000L, 1_700_000_123L);
    int second = SessionTokens.secondDot(token, 0, token.length());

    assertThat(SessionTokens.wellFormed(token, 0, token.length())).isTrue();
    assertThat(SessionTokens.base36(token, SessionTokens.KEY_LENGTH + 1, second)).isEqualTo(1_700_000_000L);
    assertThat(SessionTokens.base36(token, second + 1, token.length())).isEqualTo(1_700_000_123L);
    for (String bad : List.of("", "AAAAAAAAAAA", "AAAAAAAAAAA.1", "AAAAAAAAAAA.1.", "AAAAAAAAAAA..1",
        "AAAAAAAAAAAX1.1", "AAAAAAAAAAA.1234567890123.1", "AAAAAAAAAAA.1.1234567890123")) {
      assertThat(SessionTokens.wellFormed(bad, 0, bad.length())).as(bad).isFalse();
    }
    assertThat(SessionTokens.base36("1!2", 0, 3)).isEqualTo(-1);
  }
}
