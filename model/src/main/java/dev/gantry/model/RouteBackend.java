package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A backend of a route with its share of the route's traffic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouteBackend(String name, Integer weight) {

  public static final int DEFAULT_WEIGHT = 1;

  public static RouteBackend of(String name) {
    return new RouteBackend(name, null);
  }

  public int weightOrDefault() {
    return weight == null ? DEFAULT_WEIGHT : weight;
  }
}
