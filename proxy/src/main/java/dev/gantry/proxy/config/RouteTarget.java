package dev.gantry.proxy.config;

import dev.gantry.proxy.admin.Counter;

/**
 * A backend as a route uses it, with the request counters of that (route, backend) pair by status class, and the
 * request header changes made when a request goes to this backend (after the route's own).
 */
public record RouteTarget(BackendRuntime backend, Counter[] requests, HeaderEdits requestEdits) {
}
