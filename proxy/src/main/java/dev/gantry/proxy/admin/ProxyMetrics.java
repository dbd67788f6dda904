package dev.gantry.proxy.admin;

/** Gantry's metric families, with the label names they take. */
public final class ProxyMetrics {

  private static final String[] CODE_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  private final MetricsRegistry registry;
  private final MetricFamily<Counter> requests;
  private final MetricFamily<Counter> mirrored;
  private final MetricFamily<Histogram> latency;
  private final MetricFamily<Gauge> activeConnections;
  private final MetricFamily<Counter> connections;
  private final MetricFamily<Counter> bytesReceived;
  private final MetricFamily<Counter> bytesSent;
  private final MetricFamily<Counter> upstreamConnectFailures;
  private final MetricFamily<Counter> retries;
  private final MetricFamily<Counter> queueRejections;
  private final MetricFamily<FunctionMetric> endpointUp;
  private final MetricFamily<FunctionMetric> endpointActive;
  private final MetricFamily<FunctionMetric> endpointEjections;
  private final MetricFamily<FunctionMetric> backendQueued;
  private final MetricFamily<Counter> reloads;
  private final MetricFamily<Gauge> configGeneration;
  private final MetricFamily<Gauge> lastReloadSuccess;
  private final MetricFamily<Counter> tlsHandshakes;
  private final MetricFamily<Counter> tlsHandshakeFailures;
  private final MetricFamily<Counter> relayConnections;
  private final MetricFamily<Gauge> relayActive;
  private final MetricFamily<Counter> relayBytesReceived;
  private final MetricFamily<Counter> relayBytesSent;
  private final MetricFamily<Counter> limitsTriggered;
  private final MetricFamily<FunctionMetric> accepting;

  public ProxyMetrics(MetricsRegistry registry) {
    this.registry = registry;
    requests = registry.counter("gantry_http_requests_total",
        "HTTP requests answered, by load balancer, listener, route, backend and status class.",
        "lb", "listener", "route", "backend", "code");
    mirrored = registry.counter("gantry_http_mirrored_requests_total",
        "Copies of requests for a route's mirrors, by outcome: sent (whole, to a mirror endpoint) or dropped "
            + "(no free endpoint, connect failed, slower than the client, or the client gave up).",
        "lb", "listener", "route", "backend", "outcome");
    latency = registry.histogram("gantry_http_request_duration_seconds",
        "Time from a complete request head to the last byte of the response.",
        Histogram.LATENCY_BUCKETS, "lb", "listener");
    activeConnections = registry.gauge("gantry_connections_active",
        "Client connections open now.", "lb", "listener");
    connections = registry.counter("gantry_connections_total",
        "Client connections accepted.", "lb", "listener");
    bytesReceived = registry.counter("gantry_bytes_received_total",
        "Bytes received from clients.", "lb", "listener");
    bytesSent = registry.counter("gantry_bytes_sent_total",
        "Bytes sent to clients.", "lb", "listener");
    upstreamConnectFailures = registry.counter("gantry_backend_connect_failures_total",
        "Failed attempts to connect to a backend endpoint.", "lb", "backend", "endpoint");
    retries = registry.counter("gantry_backend_retries_total",
        "Requests sent again, by reason: connect (failed), reset (closed before answering) or status (502/503).",
        "lb", "backend", "reason");
    queueRejections = registry.counter("gantry_backend_queue_rejections_total",
        "Requests answered 503 by the queue: full, or timeout (waited longer than the connect timeout).",
        "lb", "backend", "reason");
    endpointUp = registry.gaugeFunction("gantry_backend_endpoint_up",
        "1 when an endpoint takes traffic (healthy and not ejected), else 0.", "lb", "backend", "endpoint");
    endpointActive = registry.gaugeFunction("gantry_backend_endpoint_active",
        "Requests (HTTP) or connections (TCP) using an endpoint now.", "lb", "backend", "endpoint");
    endpointEjections = registry.counterFunction("gantry_backend_endpoint_ejections_total",
        "Times passive health ejected an endpoint.", "lb", "backend", "endpoint");
    backendQueued = registry.gaugeFunction("gantry_backend_queued",
        "Requests waiting for a free endpoint slot.", "lb", "backend");
    reloads = registry.counter("gantry_config_reloads_total",
        "Configuration loads, by result (success or failure).", "result");
    configGeneration = registry.gauge("gantry_config_generation",
        "How many configurations have been applied since start.");
    lastReloadSuccess = registry.gauge("gantry_config_last_reload_success_timestamp_seconds",
        "When the last configuration was applied, in Unix seconds.");
    tlsHandshakes = registry.counter("gantry_tls_handshakes_total",
        "TLS handshakes completed on HTTPS listeners, by protocol version.", "lb", "listener", "version");
    tlsHandshakeFailures = registry.counter("gantry_tls_handshake_failures_total",
        "TLS handshakes on HTTPS listeners that failed or were abandoned.", "lb", "listener");
    relayConnections = registry.counter("gantry_tcp_connections_total",
        "TCP and TLS-passthrough connections relayed to a backend.", "lb", "listener", "backend");
    relayActive = registry.gauge("gantry_tcp_connections_active",
        "TCP and TLS-passthrough connections being relayed now.", "lb", "listener", "backend");
    relayBytesReceived = registry.counter("gantry_tcp_bytes_received_total",
        "Bytes received from clients on relayed connections (and sent on to the backend).",
        "lb", "listener", "backend");
    relayBytesSent = registry.counter("gantry_tcp_bytes_sent_total",
        "Bytes sent to clients on relayed connections (received from the backend).", "lb", "listener", "backend");
    limitsTriggered = registry.counter("gantry_limit_triggered_total",
        "Times a limit on client input was reached, by limit: max_connections (the proxy stopped accepting), "
            + "request_head_timeout, request_head_size, request_line_size, client_timeout, pipelined_requests.",
        "lb", "listener", "limit");
    accepting = registry.gaugeFunction("gantry_connections_accepting",
        "1 while the proxy accepts new client connections, 0 while it holds them back at --max-connections.");
  }

  public MetricsRegistry registry() {
    return registry;
  }

  /** Counters of one (load balancer, listener, route, backend), indexed by status class: 0 = 1xx .. 4 = 5xx. */
  public Counter[] requestCounters(String lb, String listener, String route, String backend) {
    Counter[] out = new Counter[CODE_CLASSES.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = requests.labels(lb, listener, route, backend, CODE_CLASSES[i]);
    }
    return out;
  }

  /** The counter of one outcome ({@code sent}, {@code dropped}) of a route's copies for one mirror backend. */
  public Counter mirroredRequests(String lb, String listener, String route, String backend, String outcome) {
    return mirrored.labels(lb, listener, route, backend, outcome);
  }

  public ListenerStats listenerStats(String lb, String listener) {
    return new ListenerStats(
        activeConnections.labels(lb, listener),
        connections.labels(lb, listener),
        bytesReceived.labels(lb, listener),
        bytesSent.labels(lb, listener),
        latency.labels(lb, listener),
        requestCounters(lb, listener, "", ""),
        new LimitCounters(
            limitsTriggered.labels(lb, listener, "request_head_timeout"),
            limitsTriggered.labels(lb, listener, "request_head_size"),
            limitsTriggered.labels(lb, listener, "request_line_size"),
            limitsTriggered.labels(lb, listener, "client_timeout"),
            limitsTriggered.labels(lb, listener, "pipelined_requests")));
  }

  /** Times the proxy-wide connection limit stopped accepting; it belongs to no listener. */
  public Counter connectionLimitReached() {
    return limitsTriggered.labels("", "", "max_connections");
  }

  /** Publishes whether the proxy accepts new connections now. */
  public void accepting(java.util.function.BooleanSupplier state) {
    accepting.labels().readFrom(() -> state.getAsBoolean() ? 1 : 0);
  }

  public TlsStats tlsStats(String lb, String listener) {
    return new TlsStats(version -> tlsHandshakes.labels(lb, listener, version),
        tlsHandshakeFailures.labels(lb, listener));
  }

  public RelayStats relayStats(String lb, String listener, String backend) {
    return new RelayStats(
        relayConnections.labels(lb, listener, backend),
        relayActive.labels(lb, listener, backend),
        relayBytesReceived.labels(lb, listener, backend),
        relayBytesSent.labels(lb, listener, backend));
  }

  public Counter connectFailures(String lb, String backend, String endpoint) {
    return upstreamConnectFailures.labels(lb, backend, endpoint);
  }

  /** Retry counters of a backend, indexed like {@code BackendRuntime.RetryReason}. */
  public Counter[] retryCounters(String lb, String backend, String... reasons) {
    Counter[] out = new Counter[reasons.length];
    for (int i = 0; i < reasons.length; i++) {
      out[i] = retries.labels(lb, backend, reasons[i]);
    }
    return out;
  }

  public Counter queueRejected(String lb, String backend, String reason) {
    return queueRejections.labels(lb, backend, reason);
  }

  /** Publishes an endpoint's live state. */
  public void endpoint(String lb, String backend, String endpoint,
      dev.gantry.proxy.upstream.EndpointState state) {
    endpointUp.labels(lb, backend, endpoint).readFrom(() -> state.available(System.nanoTime()) ? 1 : 0);
    endpointActive.labels(lb, backend, endpoint).readFrom(state::active);
    endpointEjections.labels(lb, backend, endpoint).readFrom(state::ejections);
  }

  public void backend(String lb, String backend, dev.gantry.proxy.upstream.BackendState state) {
    backendQueued.labels(lb, backend).readFrom(state::queued);
  }

  /** Drops live-state series of endpoints and backends a reload removed. */
  public void retain(java.util.Set<java.util.List<String>> endpoints, java.util.Set<java.util.List<String>> backends) {
    endpointUp.retainIf(endpoints::contains);
    endpointActive.retainIf(endpoints::contains);
    endpointEjections.retainIf(endpoints::contains);
    backendQueued.retainIf(backends::contains);
  }

  public void reloadSucceeded(long generation) {
    reloads.labels("success").increment();
    configGeneration.labels().set(generation);
    lastReloadSuccess.labels().set(System.currentTimeMillis() / 1000);
  }

  public void reloadFailed() {
    reloads.labels("failure").increment();
  }

  /** Index of a status code's class in the counter arrays, clamped to 1xx..5xx. */
  public static int codeClass(int status) {
    return Math.min(4, Math.max(0, status / 100 - 1));
  }
}
