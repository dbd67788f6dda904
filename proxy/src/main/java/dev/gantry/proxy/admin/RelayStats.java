package dev.gantry.proxy.admin;

/**
 * The series of TCP and TLS-passthrough connections relayed from one listener to one backend, resolved
 * once per configuration so the relay touches no map.
 *
 * @param bytesReceived bytes from clients, relayed to the backend
 * @param bytesSent bytes from the backend, relayed to clients
 */
public record RelayStats(Counter connections, Gauge activeConnections, Counter bytesReceived, Counter bytesSent) {
}
