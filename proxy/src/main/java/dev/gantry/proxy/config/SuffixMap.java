package dev.gantry.proxy.config;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A map from strings to values that looks up a suffix of a name in place, without cutting it out: open
 * addressing over the suffix's characters, so that a host's wildcard candidates cost no allocation.
 */
final class SuffixMap<T> {

  private final String[] keys;
  private final Object[] values;
  private final int mask;
  private final int size;

  SuffixMap(Map<String, T> entries) {
    int capacity = Integer.highestOneBit(Math.max(2, entries.size() * 2 - 1)) << 1;
    keys = new String[capacity];
    values = new Object[capacity];
    mask = capacity - 1;
    size = entries.size();
    entries.forEach((key, value) -> {
      int i = hash(key, 0) & mask;
      while (keys[i] != null) {
        i = (i + 1) & mask;
      }
      keys[i] = key;
      values[i] = value;
    });
  }

  /** The value kept under {@code name.substring(from)}, or null. */
  @SuppressWarnings("unchecked")
  T get(String name, int from) {
    int length = name.length() - from;
    for (int i = hash(name, from) & mask; ; i = (i + 1) & mask) {
      String key = keys[i];
      if (key == null) {
        return null;
      }
      if (key.length() == length && name.regionMatches(from, key, 0, length)) {
        return (T) values[i];
      }
    }
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The same keys, each value mapped. */
  @SuppressWarnings("unchecked")
  <R> SuffixMap<R> map(Function<? super T, ? extends R> f) {
    Map<String, R> out = new HashMap<>();
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null) {
        out.put(keys[i], f.apply((T) values[i]));
      }
    }
    return new SuffixMap<>(out);
  }

  private static int hash(String s, int from) {
    int h = 0;
    for (int i = from; i < s.length(); i++) {
      h = 31 * h + s.charAt(i);
    }
    return h ^ (h >>> 16);
  }
}
