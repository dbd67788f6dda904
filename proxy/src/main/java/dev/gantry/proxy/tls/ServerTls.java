package dev.gantry.proxy.tls;

import dev.gantry.proxy.admin.TlsStats;

/**
 * What an HTTPS listener needs to terminate TLS: its certificates by SNI (each context carries the
 * listener's versions, ciphers and ALPN protocols) and its handshake counters.
 */
public record ServerTls(CertificateMap certificates, TlsSettings settings, TlsStats stats) {
}
