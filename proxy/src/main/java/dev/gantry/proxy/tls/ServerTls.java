package dev.gantry.proxy.tls;

import dev.gantry.proxy.admin.TlsStats;

/**
 * What an HTTPS listener needs to terminate TLS: its certificates by SNI (each context carries the
 * listener's versions, ciphers, ALPN protocols and client certificate checks), its handshake counters, its
 * client certificate settings (null when it asks for none), and the hosts that split it by SNI.
 */
public record ServerTls(CertificateMap certificates, TlsSettings settings, TlsStats stats,
    ClientValidation clientValidation, SniHosts sniHosts) {
}
