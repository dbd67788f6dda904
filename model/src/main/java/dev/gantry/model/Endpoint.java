package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One server of a backend: HAProxy's {@code server} line. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Endpoint(String address, Integer port, Integer weight) {

  public static final int DEFAULT_WEIGHT = 1;

  public static Endpoint of(String address, int port) {
    return new Endpoint(address, port, null);
  }

  public int weightOrDefault() {
    return weight == null ? DEFAULT_WEIGHT : weight;
  }
}
