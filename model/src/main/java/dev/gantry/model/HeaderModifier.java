package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Headers to set (replacing any present), to add (appending a value, keeping those present) and to remove.
 * Removals apply first, then sets, then additions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeaderModifier(Map<String, String> set, Map<String, String> add, List<String> remove) {

  /** Set and remove only, as most routes write it. */
  public HeaderModifier(Map<String, String> set, List<String> remove) {
    this(set, null, remove);
  }

  public Map<String, String> setOrEmpty() {
    return set == null ? Map.of() : set;
  }

  public Map<String, String> addOrEmpty() {
    return add == null ? Map.of() : add;
  }

  public List<String> removeOrEmpty() {
    return remove == null ? List.of() : remove;
  }
}
