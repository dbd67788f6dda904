package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A frontend: a port, the protocol spoken on it, and where unmatched traffic goes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Listener(
    String name,
    Integer port,
    Protocol protocol,
    String redirectToHttps,
    ListenerTls tls,
    String defaultBackend) {
}
