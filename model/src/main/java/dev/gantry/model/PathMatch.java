package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A path condition of a route. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PathMatch(PathType type, String value) {

  public static PathMatch exact(String value) {
    return new PathMatch(PathType.Exact, value);
  }

  public static PathMatch prefix(String value) {
    return new PathMatch(PathType.Prefix, value);
  }

  public static PathMatch regex(String value) {
    return new PathMatch(PathType.Regex, value);
  }

  /** The path type, {@code Prefix} when left out. */
  public PathType typeOrDefault() {
    return type == null ? PathType.Prefix : type;
  }
}
