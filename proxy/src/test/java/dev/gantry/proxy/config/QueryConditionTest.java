package dev.gantry.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.l7.HostNames;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Query parameter conditions on request targets: decoding, the first value, and what is not a match. */
class QueryConditionTest {

  @ParameterizedTest(name = "{2} = {3} in {0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "/?animal=whale                 | true  | animal | whale",
      "/a/b?x=1&animal=whale&y        | true  | animal | whale",
      "/?animal=whale#top             | true  | animal | whale",
      "/?animal=dog&animal=whale      | false | animal | whale",
      "/?animal=whaleX                | false | animal | whale",
      "/?Animal=whale                 | false | animal | whale",
      "/?animal                       | false | animal | whale",
      "/?animal=                      | true  | animal | ''",
      "/animal=whale                  | false | animal | whale",
      "/?#animal=whale                | false | animal | whale",
      "/?q=a%20b%2f%C3%BC             | true  | q      | a b/ü",
      "/?q=a+b                        | true  | q      | a+b",
      "/?q=a+b                        | false | q      | a b",
      "/?q=100%                       | true  | q      | 100%",
      "/?q=%zz%4                      | true  | q      | %zz%4",
      "/?%71=1                        | true  | q      | 1",
  })
  void matchesTheFirstValueDecoded(String uri, boolean matches, String name, String value) {
    assertThat(new QueryCondition(name, value).matches(uri, HostNames.pathEnd(uri))).isEqualTo(matches);
  }
}
