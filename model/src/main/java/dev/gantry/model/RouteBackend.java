package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A backend of a route with its share of the route's traffic, and the request header changes made when this
 * backend is the one chosen (after the route's own {@code requestHeaders}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouteBackend(String name, Integer weight, HeaderModifier requestHeaders) {

  public static final int DEFAULT_WEIGHT = 1;

  /** A backend without header changes of its own. */
  public RouteBackend(String name, Integer weight) {
    this(name, weight, null);
  }

  public static RouteBackend of(String name) {
    return new RouteBackend(name, null);
  }

  public int weightOrDefault() {
    return weight == null ? DEFAULT_WEIGHT : weight;
  }
}
