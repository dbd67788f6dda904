package dev.gantry.operator.gateway.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gantry.model.Condition;
import java.util.List;

/** The status of a route: one entry per parent and controller. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RouteStatus(List<Parent> parents) {

  public List<Parent> parentsOrEmpty() {
    return parents == null ? List.of() : parents;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Parent(ParentRef parentRef, String controllerName, List<Condition> conditions) {
  }
}
