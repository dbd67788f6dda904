package dev.gantry.proxy.admin;

/**
 * One line of the access log.
 *
 * @param connectMillis time to get a backend connection, -1 when none was needed
 * @param responseMillis time until the response head was sent, -1 when none was
 * @param termination two letters saying how the exchange ended, HAProxy style: {@code --} normally,
 *     {@code C?} the client, {@code S?} the server, {@code P?} the proxy; second letter: {@code R} request,
 *     {@code C} connect, {@code H} response head, {@code D} data
 */
public record AccessRecord(
    String client,
    long startMillis,
    String lb,
    String listener,
    String route,
    String backend,
    String endpoint,
    String method,
    String uri,
    String protocol,
    int status,
    long bytesIn,
    long bytesOut,
    long connectMillis,
    long responseMillis,
    long totalMillis,
    String termination,
    int retries) {
}
