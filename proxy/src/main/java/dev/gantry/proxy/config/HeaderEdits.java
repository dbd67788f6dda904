package dev.gantry.proxy.config;

import dev.gantry.model.HeaderModifier;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Map;

/** A route's header changes, compiled to Netty header names. Removals run before sets. */
public final class HeaderEdits {

  public static final HeaderEdits NONE = new HeaderEdits(new AsciiString[0], new AsciiString[0], new String[0]);

  private final AsciiString[] remove;
  private final AsciiString[] setNames;
  private final String[] setValues;

  private HeaderEdits(AsciiString[] remove, AsciiString[] setNames, String[] setValues) {
    this.remove = remove;
    this.setNames = setNames;
    this.setValues = setValues;
  }

  public static HeaderEdits of(HeaderModifier modifier) {
    if (modifier == null) {
      return NONE;
    }
    List<String> removals = modifier.removeOrEmpty();
    Map<String, String> sets = modifier.setOrEmpty();
    AsciiString[] remove = removals.stream().map(AsciiString::of).toArray(AsciiString[]::new);
    AsciiString[] names = new AsciiString[sets.size()];
    String[] values = new String[sets.size()];
    int i = 0;
    for (Map.Entry<String, String> e : sets.entrySet()) {
      names[i] = AsciiString.of(e.getKey());
      values[i] = e.getValue();
      i++;
    }
    return new HeaderEdits(remove, names, values);
  }

  public boolean isEmpty() {
    return remove.length == 0 && setNames.length == 0;
  }

  public void applyTo(HttpHeaders headers) {
    for (AsciiString name : remove) {
      headers.remove(name);
    }
    for (int i = 0; i < setNames.length; i++) {
      headers.set(setNames[i], setValues[i]);
    }
  }
}
