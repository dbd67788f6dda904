package dev.gantry.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Values by host: exact names first, then wildcards from the longest suffix, then the value for any name. */
class HostTableTest {

  private final HostTable<String> table = new HostTable.Builder<String>()
      .putIfAbsent("*.example.com", "wild")
      .putIfAbsent("*.b.example.com", "wild-b")
      .putIfAbsent("A.B.Example.com.", "exact")
      .putIfAbsent("a.b.example.com", "second")
      .putIfAbsent(null, "any")
      .build();

  @Test
  void anExactNameWinsAndKeepsTheFirstValueGivenForIt() {
    assertThat(table.lookup("a.b.example.com")).isEqualTo("exact");
  }

  @Test
  void theLongestWildcardWinsAtAnyDepth() {
    assertThat(table.lookup("x.b.example.com")).isEqualTo("wild-b");
    assertThat(table.lookup("y.x.b.example.com")).isEqualTo("wild-b");
    assertThat(table.lookup("x.example.com")).isEqualTo("wild");
  }

  @Test
  void aWildcardNeverCoversItsOwnDomainSoTheValueForAnyNameAnswers() {
    assertThat(table.lookup("example.com")).isEqualTo("any");
    assertThat(table.lookup("b.example.com")).isEqualTo("wild");
    assertThat(table.lookup("other.org")).isEqualTo("any");
    assertThat(table.lookup(".example.com")).isEqualTo("any");
  }

  @Test
  void aNullNameHasNoValue() {
    assertThat(table.lookup(null)).isNull();
  }

  @Test
  void aWalkVisitsEveryCandidateMostSpecificFirst() {
    List<String> seen = new ArrayList<>();
    String name = "a.b.example.com";
    for (int c = table.first(); c != HostTable.END; c = table.next(name, c)) {
      String v = table.at(name, c);
      if (v != null) {
        seen.add(v);
      }
    }
    assertThat(seen).containsExactly("exact", "wild-b", "wild", "any");
  }

  @Test
  void aTableWithoutWildcardsGoesFromTheExactNameToAnyName() {
    HostTable<String> plain = new HostTable.Builder<String>().putIfAbsent("a.example.com", "a").build();
    assertThat(plain.lookup("a.example.com")).isEqualTo("a");
    assertThat(plain.lookup("b.example.com")).isNull();
    assertThat(plain.isEmpty()).isFalse();
    assertThat(new HostTable.Builder<String>().build().isEmpty()).isTrue();
  }

  @Test
  void manyWildcardsAreEachFoundByTheirSuffix() {
    HostTable.Builder<Integer> b = new HostTable.Builder<>();
    for (int i = 0; i < 1000; i++) {
      b.putIfAbsent("*.s" + i + ".example.com", i);
    }
    HostTable<Integer> many = b.build();
    for (int i = 0; i < 1000; i++) {
      assertThat(many.lookup("host.s" + i + ".example.com")).isEqualTo(i);
    }
    assertThat(many.lookup("host.s1000.example.com")).isNull();
    assertThat(many.map(i -> i * 2).lookup("x.s21.example.com")).isEqualTo(42);
  }
}
