package dev.gantry.proxy.config;

import dev.gantry.model.Timeouts;

/** A load balancer's timeouts in the units the data plane uses. */
public record ListenerTimeouts(
    long connectMillis,
    long clientNanos,
    long serverNanos,
    long httpRequestNanos,
    long tunnelNanos) {

  public static ListenerTimeouts of(Timeouts t) {
    return new ListenerTimeouts(
        t.connectTimeout().toMillis(),
        t.clientTimeout().toNanos(),
        t.serverTimeout().toNanos(),
        t.httpRequestTimeout().toNanos(),
        t.tunnelTimeout().toNanos());
  }
}
