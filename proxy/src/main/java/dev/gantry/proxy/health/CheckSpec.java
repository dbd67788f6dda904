package dev.gantry.proxy.health;

import dev.gantry.model.Durations;
import dev.gantry.model.HealthCheck;
import dev.gantry.model.HealthCheckProtocol;
import dev.gantry.proxy.tls.BackendTlsClient;
import java.net.InetSocketAddress;

/**
 * One endpoint's active health check with every default applied: HAProxy's {@code check inter .. rise ..
 * fall ..}, made over TLS ({@code check-ssl}) when the backend speaks TLS. Two equal specs mean a reload
 * leaves the running check alone. An HTTP check of an HTTP/2 backend ({@code http2}) is made over HTTP/2:
 * h2c with prior knowledge, or TLS with ALPN h2.
 */
record CheckSpec(
    InetSocketAddress address,
    HealthCheckProtocol protocol,
    String path,
    long intervalNanos,
    long timeoutNanos,
    int rise,
    int fall,
    BackendTlsClient tls,
    boolean http2) {

  static final String DEFAULT_INTERVAL = "5s";
  static final String DEFAULT_TIMEOUT = "2s";
  static final int DEFAULT_RISE = 2;
  static final int DEFAULT_FALL = 3;
  static final String DEFAULT_PATH = "/";

  static CheckSpec of(HealthCheck hc, InetSocketAddress address, BackendTlsClient tls, boolean http2) {
    long interval = Durations.parseOr(hc.interval(), DEFAULT_INTERVAL).toNanos();
    long timeout = Math.min(interval, Durations.parseOr(hc.timeout(), DEFAULT_TIMEOUT).toNanos());
    return new CheckSpec(address,
        hc.protocol() == null ? HealthCheckProtocol.TCP : hc.protocol(),
        hc.path() == null ? DEFAULT_PATH : hc.path(),
        interval,
        timeout,
        hc.healthyThreshold() == null ? DEFAULT_RISE : hc.healthyThreshold(),
        hc.unhealthyThreshold() == null ? DEFAULT_FALL : hc.unhealthyThreshold(),
        tls,
        http2);
  }

  /** How the admin page describes it, e.g. {@code HTTP /healthz every 5s}. */
  String describe() {
    String what = (protocol == HealthCheckProtocol.HTTP ? (http2 ? "HTTP/2 " : "HTTP ") + path : "TCP")
        + (tls == null ? "" : " over TLS");
    return what + " every " + Durations.format(java.time.Duration.ofNanos(intervalNanos));
  }
}
