package dev.gantry.proxy.admin;

/**
 * How often each per-listener limit on client input was reached: the series of
 * {@code gantry_limit_triggered_total} for one listener, resolved once so the hot path touches no map.
 *
 * @param requestHeadTimeout a request head not complete within {@code httpRequest} (408)
 * @param requestHeadSize request headers over the size limit (431)
 * @param requestLineSize a request line over the size limit (414)
 * @param clientTimeout a client silent for {@code client} in the middle of an exchange: it stopped sending
 *     its body (408) or stopped reading the response
 * @param pipelinedRequests more pipelined requests waiting on one connection than the proxy keeps
 */
public record LimitCounters(
    Counter requestHeadTimeout,
    Counter requestHeadSize,
    Counter requestLineSize,
    Counter clientTimeout,
    Counter pipelinedRequests) {
}
