package dev.gantry.proxy.config;

import dev.gantry.proxy.admin.Counter;
import dev.gantry.proxy.upstream.BalancedEndpoint;
import dev.gantry.proxy.upstream.EndpointState;
import java.net.InetSocketAddress;

/**
 * One resolved endpoint of a backend. {@code label} is {@code address:port} as logs and metrics show it;
 * {@code state} is its live state (active uses, health), which outlives a reload.
 */
public record EndpointRuntime(InetSocketAddress address, int weight, String label, Counter connectFailures,
    EndpointState state) implements BalancedEndpoint {
}
