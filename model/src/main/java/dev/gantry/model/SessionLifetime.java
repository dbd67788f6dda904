package dev.gantry.model;

/** How long a session cookie lives in the client. Constant names are the API's spelling. */
public enum SessionLifetime {
  /** Until {@code absoluteTimeout} has passed: the cookie carries a {@code Max-Age}. */
  Permanent,
  /** Until the browser session ends: the cookie carries no {@code Max-Age}. */
  Session
}
