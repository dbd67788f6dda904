package dev.gantry.proxy.config;

/**
 * A route's changes to the forwarded request: the Host header ({@code host}), the whole path ({@code path}) or
 * the matched prefix ({@code pathPrefix}); each null when unchanged.
 */
public record RouteRewrite(String host, String path, String pathPrefix) {
}
