package dev.gantry.proxy.admin;

/** The series of one listener, resolved once so the hot path touches no map. */
public record ListenerStats(
    Gauge activeConnections,
    Counter connections,
    Counter bytesReceived,
    Counter bytesSent,
    Histogram latency,
    Counter[] unroutedRequests,
    LimitCounters limits) {
}
