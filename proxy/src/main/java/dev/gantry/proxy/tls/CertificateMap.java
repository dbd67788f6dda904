package dev.gantry.proxy.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses an HTTPS listener's certificate by the SNI of the ClientHello: a certificate naming the host
 * exactly, else one whose wildcard covers it, else the listener's first certificate. A wildcard covers
 * exactly one label, as clients check it (RFC 6125): {@code *.example.com} serves {@code a.example.com},
 * not {@code a.b.example.com} nor {@code example.com}. When two certificates name the same host, the
 * earlier one is chosen.
 */
public final class CertificateMap implements Mapping<String, SslContext> {

  /** One certificate's context with the names it serves. */
  public record Entry(SslContext context, List<String> names) {
  }

  private final Map<String, SslContext> exact;
  private final Map<String, SslContext> wildcard;
  private final SslContext defaultContext;

  private CertificateMap(Map<String, SslContext> exact, Map<String, SslContext> wildcard, SslContext defaultContext) {
    this.exact = exact;
    this.wildcard = wildcard;
    this.defaultContext = defaultContext;
  }

  /** The map of {@code entries}; the first is the default. */
  public static CertificateMap of(List<Entry> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("an HTTPS listener needs at least one certificate");
    }
    Map<String, SslContext> exact = new HashMap<>();
    Map<String, SslContext> wildcard = new HashMap<>();
    for (Entry e : entries) {
      for (String name : e.names()) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("*.")) {
          wildcard.putIfAbsent(n.substring(2), e.context());
        } else {
          exact.putIfAbsent(n, e.context());
        }
      }
    }
    return new CertificateMap(Map.copyOf(exact), Map.copyOf(wildcard), entries.get(0).context());
  }

  /** The context for {@code hostname} (the SNI, null when the client sent none). */
  @Override
  public SslContext map(String hostname) {
    if (hostname == null || hostname.isEmpty()) {
      return defaultContext;
    }
    String host = hostname.toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    SslContext c = exact.get(host);
    if (c != null) {
      return c;
    }
    int dot = host.indexOf('.');
    if (dot > 0) {
      c = wildcard.get(host.substring(dot + 1));
      if (c != null) {
        return c;
      }
    }
    return defaultContext;
  }

  public SslContext defaultContext() {
    return defaultContext;
  }
}
