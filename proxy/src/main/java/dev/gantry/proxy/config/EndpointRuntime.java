package dev.gantry.proxy.config;

import dev.gantry.proxy.admin.Counter;
import java.net.InetSocketAddress;

/** One resolved endpoint of a backend. {@code label} is {@code address:port} as logs and metrics show it. */
public record EndpointRuntime(InetSocketAddress address, int weight, String label, Counter connectFailures) {
}
