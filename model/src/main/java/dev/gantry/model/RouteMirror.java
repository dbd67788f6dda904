package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A backend that gets a copy of some of a route's requests (Gateway API's RequestMirror): the copy is sent
 * and its answer thrown away, and the client's exchange never waits for it. {@code percent} is the share of
 * requests copied, from 0 to 100 with decimals (a Gateway API fraction of 1/3 is 33.333...); 100 when unset.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouteMirror(String backend, Double percent) {

  public static final double DEFAULT_PERCENT = 100;

  public static RouteMirror of(String backend) {
    return new RouteMirror(backend, null);
  }

  public double percentOrDefault() {
    return percent == null ? DEFAULT_PERCENT : percent;
  }
}
