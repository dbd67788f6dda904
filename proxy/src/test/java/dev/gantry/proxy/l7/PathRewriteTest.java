package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathRewriteTest {

  @ParameterizedTest(name = "{0} minus {1} chars + {2} = {3}")
  @CsvSource({
      "/community/x,      10, /,       /x",
      "/community,        10, /,       /",
      "/community?a=1,    10, /,       /?a=1",
      "/community/x?a=1,  10, /forum,  /forum/x?a=1",
      "/community/x,      10, /forum/, /forum/x",
      "/community,        10, /forum,  /forum",
      "/x/y,              0,  /base,   /base/x/y",
      "/x/y,              0,  /base/,  /base/x/y",
  })
  void replacesTheMatchedPrefix(String uri, int prefixLength, String replacement, String expected) {
    assertThat(PathRewrite.replacePrefix(uri, prefixLength, replacement)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} with path {1} = {2}")
  @CsvSource({
      "/full/one/two,     /one,  /one",
      "/full/one?a=1&b,   /one,  /one?a=1&b",
      "/,                 /x/,   /x/",
  })
  void replacesTheWholePathKeepingTheQuery(String uri, String path, String expected) {
    assertThat(PathRewrite.replaceFullPath(uri, path)).isEqualTo(expected);
  }
}
