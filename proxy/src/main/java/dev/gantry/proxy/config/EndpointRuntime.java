package dev.gantry.proxy.config;

import dev.gantry.proxy.admin.Counter;
import dev.gantry.proxy.tls.BackendTlsClient;
import dev.gantry.proxy.upstream.BalancedEndpoint;
import dev.gantry.proxy.upstream.EndpointState;
import java.net.InetSocketAddress;

/**
 * One resolved endpoint of a backend. {@code label} is {@code address:port} as logs and metrics show it;
 * {@code state} is its live state (active uses, health), which outlives a reload. {@code tls} is its
 * backend's TLS client, or null when the backend speaks clear text; {@code http2} when the backend speaks
 * HTTP/2 (protocol H2C or H2), so exchanges are streams of shared connections.
 */
public record EndpointRuntime(InetSocketAddress address, int weight, String label, Counter connectFailures,
    EndpointState state, BackendTlsClient tls, boolean http2) implements BalancedEndpoint {
}
