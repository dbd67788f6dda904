package dev.gantry.proxy.config;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The redirect a route answers with. Each part of the Location left null comes from the request and its
 * listener (see {@code l7.RedirectLocation}); {@code port} is -1 when unset.
 */
public record RouteRedirect(HttpResponseStatus status, String scheme, String host, int port, String path,
    String pathPrefix) {
}
