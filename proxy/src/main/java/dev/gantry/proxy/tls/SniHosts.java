package dev.gantry.proxy.tls;

import dev.gantry.proxy.config.HostTable;
import java.util.List;

/**
 * The hosts that split an HTTPS listener ({@code tls.sniHosts}), as Gateway API listeners sharing a port do: a
 * name falls under the most specific of them that matches it (an exact host, else the longest wildcard), or
 * under none. A request whose {@code Host} falls under another one than its connection's SNI was misdirected.
 * Looking a name up allocates nothing.
 */
public final class SniHosts {

  /** Not split: every name falls under none, so no request is misdirected. */
  public static final SniHosts NONE = new SniHosts(new HostTable.Builder<Integer>().build());
  /** What {@link #select} answers for a name no host matches. */
  public static final int NO_HOST = -1;

  /** Each host's number. */
  private final HostTable<Integer> hosts;

  private SniHosts(HostTable<Integer> hosts) {
    this.hosts = hosts;
  }

  /** The hosts of a listener's {@code tls.sniHosts} (validated: names or {@code *.} wildcards). */
  public static SniHosts of(List<String> hosts) {
    if (hosts == null || hosts.isEmpty()) {
      return NONE;
    }
    HostTable.Builder<Integer> numbered = new HostTable.Builder<>();
    for (String host : hosts) {
      numbered.putIfAbsent(host, numbered.size());
    }
    return new SniHosts(numbered.build());
  }

  public boolean splits() {
    return !hosts.isEmpty();
  }

  /**
   * Which host a name falls under, as a number that is equal for equal answers: {@link #NO_HOST} for none.
   *
   * @param name a lower-case host name without port or trailing dot, or null (falls under none)
   */
  public int select(String name) {
    Integer host = hosts.lookup(name);
    return host == null ? NO_HOST : host;
  }
}
