package dev.gantry.proxy.l7;

import dev.gantry.proxy.config.RouteRuntime;

/**
 * A route together with how its path matched: {@code prefixLength} is the length of the matched path prefix,
 * the part {@code rewrite.pathPrefix} replaces (0 for a route matching any path).
 */
public record RouteMatch(RouteRuntime route, int prefixLength) {
}
