package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Headers to set (replacing any present) and to remove. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeaderModifier(Map<String, String> set, List<String> remove) {

  public Map<String, String> setOrEmpty() {
    return set == null ? Map.of() : set;
  }

  public List<String> removeOrEmpty() {
    return remove == null ? List.of() : remove;
  }
}
