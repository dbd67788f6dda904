package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;

/**
 * HAProxy's {@code defaults} timeouts, as Gateway API durations ({@code 500ms}, {@code 5s}, {@code 1m30s}).
 * A field left out takes the default named beside it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Timeouts(
    String connect,
    String client,
    String server,
    String httpRequest,
    String tunnel) {

  public static final String DEFAULT_CONNECT = "5s";
  public static final String DEFAULT_CLIENT = "50s";
  public static final String DEFAULT_SERVER = "50s";
  public static final String DEFAULT_HTTP_REQUEST = "10s";
  public static final String DEFAULT_TUNNEL = "1h";

  public static final Timeouts DEFAULTS = new Timeouts(null, null, null, null, null);

  public Duration connectTimeout() {
    return Durations.parseOr(connect, DEFAULT_CONNECT);
  }

  public Duration clientTimeout() {
    return Durations.parseOr(client, DEFAULT_CLIENT);
  }

  public Duration serverTimeout() {
    return Durations.parseOr(server, DEFAULT_SERVER);
  }

  public Duration httpRequestTimeout() {
    return Durations.parseOr(httpRequest, DEFAULT_HTTP_REQUEST);
  }

  public Duration tunnelTimeout() {
    return Durations.parseOr(tunnel, DEFAULT_TUNNEL);
  }
}
