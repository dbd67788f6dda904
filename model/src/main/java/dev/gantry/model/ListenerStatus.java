package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Per-listener status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ListenerStatus(String name, Integer attachedRoutes) {
}
