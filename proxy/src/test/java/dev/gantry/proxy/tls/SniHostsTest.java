package dev.gantry.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of a listener's {@code sniHosts} a name falls under: an exact host, else the longest wildcard, else none. */
class SniHostsTest {

  private final SniHosts hosts = SniHosts.of(List.of("*.example.com", "Abc.Foo.example.com", "*.foo.example.com"));

  @Test
  void anExactHostBeatsWildcardsAndTheLongestWildcardBeatsShorterOnes() {
    int abc = hosts.select("abc.foo.example.com");
    int foo = hosts.select("x.foo.example.com");
    int example = hosts.select("x.example.com");
    assertThat(List.of(abc, foo, example)).doesNotHaveDuplicates().doesNotContain(SniHosts.NO_HOST);
    assertThat(hosts.select("a.b.foo.example.com")).isEqualTo(foo);
    assertThat(hosts.select("foo.example.com")).isEqualTo(example);
  }

  @Test
  void aNameNoHostMatchesFallsUnderNone() {
    assertThat(hosts.select("example.com")).isEqualTo(SniHosts.NO_HOST);
    assertThat(hosts.select("other.org")).isEqualTo(SniHosts.NO_HOST);
    assertThat(hosts.select(null)).isEqualTo(SniHosts.NO_HOST);
  }

  @Test
  void withoutHostsNothingIsSplit() {
    assertThat(SniHosts.of(null).splits()).isFalse();
    assertThat(SniHosts.of(List.of()).splits()).isFalse();
    assertThat(hosts.splits()).isTrue();
  }
}
