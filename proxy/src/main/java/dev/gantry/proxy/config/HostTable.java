package dev.gantry.proxy.config;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Values kept by host name the way routes and listeners name hosts: exact names, wildcards and one value for
 * any name. A wildcard {@code *.example.com} covers every name that ends in {@code .example.com}, at any depth
 * ({@code a.example.com}, {@code a.b.example.com}), never {@code example.com} itself.
 *
 * <p>A name's candidates come most specific first: its exact entry, then its wildcards from the longest
 * suffix to the shortest, then the value for any name. {@link #lookup} takes the first; a caller that may
 * pass over a candidate (an HTTP host whose routes do not match the path) walks them with {@link #first},
 * {@link #next} and {@link #at}. A lookup allocates nothing: wildcards are looked up by the name's suffix in
 * place.
 *
 * @param <T> the value kept under a host
 */
public final class HostTable<T> {

  /** The cursor of a name's exact entry, where a walk starts. */
  private static final int EXACT = -2;
  /** The cursor of the value for any name, the last candidate. */
  private static final int ANY = -1;
  /** The cursor past the last candidate. */
  public static final int END = Integer.MIN_VALUE;

  private final Map<String, T> exact;
  /** Wildcards by their suffix: {@code *.example.com} is kept as {@code .example.com}. */
  private final SuffixMap<T> wildcard;
  private final T any;

  private HostTable(Map<String, T> exact, SuffixMap<T> wildcard, T any) {
    this.exact = exact;
    this.wildcard = wildcard;
    this.any = any;
  }

  /**
   * The most specific value for a name, or null.
   *
   * @param name a lower-case host name without port or trailing dot; null has no value, not even any name's
   */
  public T lookup(String name) {
    if (name == null) {
      return null;
    }
    for (int c = first(); c != END; c = next(name, c)) {
      T value = at(name, c);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /** The cursor of a name's first candidate. */
  public int first() {
    return EXACT;
  }

  /** The cursor of the candidate after {@code cursor}, or {@link #END}. */
  public int next(String name, int cursor) {
    if (cursor == ANY) {
      return END;
    }
    if (wildcard.isEmpty()) {
      return ANY;
    }
    int dot = name.indexOf('.', cursor == EXACT ? 0 : cursor + 1);
    return dot > 0 ? dot : ANY;
  }

  /** The candidate of a name at a cursor; null when the table has none there. */
  public T at(String name, int cursor) {
    return switch (cursor) {
      case EXACT -> exact.get(name);
      case ANY -> any;
      default -> wildcard.get(name, cursor);
    };
  }

  public boolean isEmpty() {
    return exact.isEmpty() && wildcard.isEmpty() && any == null;
  }

  /** The same hosts, each value mapped. */
  public <R> HostTable<R> map(Function<? super T, ? extends R> f) {
    return new HostTable<>(mapValues(exact, f), wildcard.map(f), any == null ? null : f.apply(any));
  }

  private static <T, R> Map<String, R> mapValues(Map<String, T> in, Function<? super T, ? extends R> f) {
    Map<String, R> out = new HashMap<>();
    in.forEach((k, v) -> out.put(k, f.apply(v)));
    return Map.copyOf(out);
  }

  /** Collects values by host; a host keeps the first value given for it. */
  public static final class Builder<T> {
    private final Map<String, T> exact = new LinkedHashMap<>();
    private final Map<String, T> wildcard = new LinkedHashMap<>();
    private T any;

    /**
     * The value under a host ({@code *.} for a wildcard; case and a trailing dot do not count), made by
     * {@code create} if the host has none yet; null for any name.
     */
    public T computeIfAbsent(String host, Supplier<? extends T> create) {
      if (host == null) {
        if (any == null) {
          any = create.get();
        }
        return any;
      }
      String h = host.toLowerCase(Locale.ROOT);
      if (h.endsWith(".")) {
        h = h.substring(0, h.length() - 1);
      }
      return h.startsWith("*.")
          ? wildcard.computeIfAbsent(h.substring(1), k -> create.get())
          : exact.computeIfAbsent(h, k -> create.get());
    }

    /** Keeps {@code value} under a host (null: any name) unless the host has one already. */
    public Builder<T> putIfAbsent(String host, T value) {
      computeIfAbsent(host, () -> value);
      return this;
    }

    /** How many hosts have a value, the value for any name included. */
    public int size() {
      return exact.size() + wildcard.size() + (any == null ? 0 : 1);
    }

    public HostTable<T> build() {
      return new HostTable<>(Map.copyOf(exact), new SuffixMap<>(wildcard), any);
    }
  }
}
