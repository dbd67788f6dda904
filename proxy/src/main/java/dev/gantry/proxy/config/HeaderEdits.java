package dev.gantry.proxy.config;

import dev.gantry.model.HeaderModifier;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Map;

/**
 * A route's header changes, compiled to Netty header names. Removals run first, then sets (replacing every
 * value present), then additions (appending a value after those present).
 */
public final class HeaderEdits {

  public static final HeaderEdits NONE = new HeaderEdits(new AsciiString[0], Pairs.EMPTY, Pairs.EMPTY);

  private final AsciiString[] remove;
  private final Pairs set;
  private final Pairs add;

  private HeaderEdits(AsciiString[] remove, Pairs set, Pairs add) {
    this.remove = remove;
    this.set = set;
    this.add = add;
  }

  public static HeaderEdits of(HeaderModifier modifier) {
    if (modifier == null) {
      return NONE;
    }
    List<String> removals = modifier.removeOrEmpty();
    AsciiString[] remove = removals.stream().map(AsciiString::of).toArray(AsciiString[]::new);
    return new HeaderEdits(remove, Pairs.of(modifier.setOrEmpty()), Pairs.of(modifier.addOrEmpty()));
  }

  public boolean isEmpty() {
    return remove.length == 0 && set.names.length == 0 && add.names.length == 0;
  }

  public void applyTo(HttpHeaders headers) {
    for (AsciiString name : remove) {
      headers.remove(name);
    }
    for (int i = 0; i < set.names.length; i++) {
      headers.set(set.names[i], set.values[i]);
    }
    for (int i = 0; i < add.names.length; i++) {
      headers.add(add.names[i], add.values[i]);
    }
  }

  /** Header names and their values, side by side. */
  private record Pairs(AsciiString[] names, String[] values) {

    static final Pairs EMPTY = new Pairs(new AsciiString[0], new String[0]);

    static Pairs of(Map<String, String> headers) {
      AsciiString[] names = new AsciiString[headers.size()];
      String[] values = new String[headers.size()];
      int i = 0;
      for (Map.Entry<String, String> e : headers.entrySet()) {
        names[i] = AsciiString.of(e.getKey());
        values[i] = e.getValue();
        i++;
      }
      return new Pairs(names, values);
    }
  }
}
