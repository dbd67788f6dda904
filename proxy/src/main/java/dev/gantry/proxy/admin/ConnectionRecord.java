package dev.gantry.proxy.admin;

/**
 * One access-log line of a TCP or TLS-passthrough connection, written when it closes.
 *
 * @param protocol {@code TCP} or {@code TLS}
 * @param serverName the SNI of the ClientHello (TLS listeners), or empty
 * @param connectMillis time from accepting the client to the backend connection, -1 when none was made
 * @param bytesIn bytes received from the client (all of them relayed to the backend)
 * @param bytesOut bytes received from the backend (all of them relayed to the client)
 * @param termination how it ended, as for HTTP: {@code --} normally, {@code C?}/{@code S?}/{@code P?} the
 *     client, the server or the proxy (lower case: a timeout); second letter {@code R} before a backend was
 *     chosen, {@code C} connecting, {@code D} relaying data
 */
public record ConnectionRecord(
    String client,
    long startMillis,
    String lb,
    String listener,
    String protocol,
    String serverName,
    String route,
    String backend,
    String endpoint,
    long connectMillis,
    long totalMillis,
    long bytesIn,
    long bytesOut,
    String termination,
    int retries) {
}
