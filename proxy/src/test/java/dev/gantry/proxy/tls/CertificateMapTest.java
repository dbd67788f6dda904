package dev.gantry.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Certificate choice by SNI: exact, one-label wildcards, the first certificate as the default. */
class CertificateMapTest {

  static SslContext first;
  static SslContext wildcard;
  static SslContext exact;
  static SslContext deeper;
  static CertificateMap map;

  @BeforeAll
  static void build() throws Exception {
    ServerCertificate c = DefaultCertificate.generate();
    first = context(c);
    wildcard = context(c);
    exact = context(c);
    deeper = context(c);
    map = CertificateMap.of(List.of(
        new CertificateMap.Entry(first, List.of("www.example.org")),
        new CertificateMap.Entry(wildcard, List.of("*.example.com")),
        new CertificateMap.Entry(exact, List.of("shop.example.com", "*.example.com")),
        new CertificateMap.Entry(deeper, List.of("*.eu.example.com"))));
  }

  static SslContext context(ServerCertificate c) throws Exception {
    return SslContextBuilder.forServer(c.key(), c.leaf()).sslProvider(SslProvider.JDK).build();
  }

  @Test
  void anExactNameBeatsAWildcard() {
    assertThat(map.map("shop.example.com")).isSameAs(exact);
    assertThat(map.map("SHOP.Example.com.")).isSameAs(exact);
  }

  @Test
  void aWildcardCoversExactlyOneLabel() {
    assertThat(map.map("a.example.com")).isSameAs(wildcard);
    assertThat(map.map("a.eu.example.com")).isSameAs(deeper);
    assertThat(map.map("a.b.example.com")).isSameAs(first);
    assertThat(map.map("example.com")).isSameAs(first);
  }

  @Test
  void theFirstCertificateServesUnknownNamesAndClientsWithoutSni() {
    assertThat(map.map("www.example.org")).isSameAs(first);
    assertThat(map.map("unknown.test")).isSameAs(first);
    assertThat(map.map(null)).isSameAs(first);
    assertThat(map.map("")).isSameAs(first);
  }

  @Test
  void theEarlierCertificateWinsANameTwoOfThemCover() {
    // Both the second and the third certificate cover *.example.com.
    assertThat(map.map("b.example.com")).isSameAs(wildcard);
  }
}
