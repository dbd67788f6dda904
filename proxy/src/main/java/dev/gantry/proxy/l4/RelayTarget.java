package dev.gantry.proxy.l4;

import dev.gantry.model.ProxyProtocol;
import dev.gantry.proxy.admin.RelayStats;
import dev.gantry.proxy.config.BackendRuntime;

/**
 * Where a TCP or TLS-passthrough connection goes: a backend, the PROXY protocol header it expects, and the
 * series its connections are counted in (those of this listener and backend).
 */
public record RelayTarget(BackendRuntime backend, ProxyProtocol proxyProtocol, RelayStats stats) {
}
