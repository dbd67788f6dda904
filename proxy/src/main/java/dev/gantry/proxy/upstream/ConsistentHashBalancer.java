package dev.gantry.proxy.upstream;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Source hashing with Maglev consistent hashing: a lookup table of {@link #TABLE_SIZE} slots in which every
 * endpoint owns a share proportional to its weight, each filled along an endpoint's own pseudo-random
 * permutation. A client address always maps to the same slot; adding or removing one of N endpoints
 * moves about 1/N of the clients. When a client's endpoint is unusable, the following slots are tried, so
 * only that endpoint's clients move, spread over the others.
 */
final class ConsistentHashBalancer<T extends BalancedEndpoint> implements Balancer<T> {

  /** A prime well above the number of endpoints, as Maglev requires; balance is within about 1%. */
  static final int TABLE_SIZE = 65_537;
  /** Slots tried after the client's own, before falling back to a scan. */
  private static final int PROBES = 64;

  private final List<T> endpoints;
  private final int[] table;

  ConsistentHashBalancer(List<T> endpoints) {
    this.endpoints = List.copyOf(endpoints);
    this.table = build(this.endpoints);
  }

  @Override
  public T pick(InetAddress client, long nowNanos) {
    if (table == null) {
      return null;
    }
    int slot = (int) Long.remainderUnsigned(mix(client.hashCode()), TABLE_SIZE);
    for (int i = 0; i < PROBES; i++) {
      T e = endpoints.get(table[(slot + i) % TABLE_SIZE]);
      if (e.usable(nowNanos)) {
        return e;
      }
    }
    return Balancer.firstUsable(endpoints, table[slot], nowNanos);
  }

  /** Which endpoint index owns each slot; null when every weight is 0. */
  static int[] build(List<? extends BalancedEndpoint> endpoints) {
    List<Integer> live = new ArrayList<>();
    long maxWeight = 0;
    for (int i = 0; i < endpoints.size(); i++) {
      if (endpoints.get(i).weight() > 0) {
        live.add(i);
        maxWeight = Math.max(maxWeight, endpoints.get(i).weight());
      }
    }
    if (live.isEmpty()) {
      return null;
    }
    int n = live.size();
    long[] offset = new long[n];
    long[] skip = new long[n];
    long[] next = new long[n];
    double[] credit = new double[n];
    for (int k = 0; k < n; k++) {
      byte[] name = endpoints.get(live.get(k)).label().getBytes(StandardCharsets.UTF_8);
      offset[k] = Long.remainderUnsigned(hash(name, 0x9E3779B97F4A7C15L), TABLE_SIZE);
      skip[k] = Long.remainderUnsigned(hash(name, 0xC2B2AE3D27D4EB4FL), TABLE_SIZE - 1) + 1;
    }
    int[] table = new int[TABLE_SIZE];
    java.util.Arrays.fill(table, -1);
    int filled = 0;
    while (filled < TABLE_SIZE) {
      for (int k = 0; k < n && filled < TABLE_SIZE; k++) {
        // Weighted Maglev: each round, an endpoint claims slots in proportion to its weight.
        credit[k] += (double) endpoints.get(live.get(k)).weight() / maxWeight;
        while (credit[k] >= 1 && filled < TABLE_SIZE) {
          credit[k] -= 1;
          int c;
          do {
            c = (int) ((offset[k] + next[k] * skip[k]) % TABLE_SIZE);
            next[k]++;
          } while (table[c] >= 0);
          table[c] = live.get(k);
          filled++;
        }
      }
    }
    return table;
  }

  private static long hash(byte[] data, long seed) {
    long h = seed;
    for (byte b : data) {
      h = mix(h ^ b);
    }
    return mix(h ^ data.length);
  }

  /** A 64-bit finaliser (SplitMix64): spreads nearby inputs, such as neighbouring addresses, over the table. */
  static long mix(long x) {
    long z = x + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
