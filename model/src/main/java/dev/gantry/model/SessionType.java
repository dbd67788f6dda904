package dev.gantry.model;

/** Where a persistent session's token travels. Constant names are the API's spelling. */
public enum SessionType {
  /** In a cookie the proxy sets with {@code Set-Cookie} and the client sends back. */
  Cookie,
  /** In a header the proxy adds to its response and the client sends back with its next requests. */
  Header
}
