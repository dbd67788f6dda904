package dev.gantry.proxy.tls;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The hosts that split an HTTPS listener ({@code tls.sniHosts}), as Gateway API listeners sharing a port do: a
 * name falls under the most specific of them that matches it (an exact host, else the longest wildcard), or
 * under none. A request whose {@code Host} falls under another one than its connection's SNI was misdirected.
 * Looking a name up allocates nothing.
 */
public final class SniHosts {

  /** Not split: every name falls under none, so no request is misdirected. */
  public static final SniHosts NONE = new SniHosts(Map.of(), List.of());
  /** What {@link #select} answers for a name no host matches. */
  public static final int NO_HOST = -1;

  private final Map<String, Integer> exact;
  /** Wildcards as their suffix ({@code *.example.com} is {@code .example.com}), longest first. */
  private final List<String> suffixes;

  private SniHosts(Map<String, Integer> exact, List<String> suffixes) {
    this.exact = exact;
    this.suffixes = suffixes;
  }

  /** The hosts of a listener's {@code tls.sniHosts} (validated: names or {@code *.} wildcards). */
  public static SniHosts of(List<String> hosts) {
    if (hosts == null || hosts.isEmpty()) {
      return NONE;
    }
    Map<String, Integer> exact = new HashMap<>();
    List<String> suffixes = new ArrayList<>();
    for (String h : hosts) {
      String host = h.toLowerCase(Locale.ROOT);
      if (host.startsWith("*.")) {
        suffixes.add(host.substring(1));
      } else {
        exact.putIfAbsent(host, exact.size());
      }
    }
    suffixes.sort(Comparator.comparingInt(String::length).reversed());
    return new SniHosts(Map.copyOf(exact), List.copyOf(suffixes));
  }

  public boolean splits() {
    return !exact.isEmpty() || !suffixes.isEmpty();
  }

  /**
   * Which host a name falls under, as a number that is equal for equal answers: {@link #NO_HOST} for none.
   *
   * @param name a lower-case host name without port or trailing dot, or null (falls under none)
   */
  public int select(String name) {
    if (name == null) {
      return NO_HOST;
    }
    Integer e = exact.get(name);
    if (e != null) {
      return e;
    }
    for (int i = 0; i < suffixes.size(); i++) {
      String s = suffixes.get(i);
      if (name.length() > s.length() && name.endsWith(s)) {
        return exact.size() + i;
      }
    }
    return NO_HOST;
  }
}
