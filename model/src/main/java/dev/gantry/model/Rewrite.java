package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Changes to the request path before forwarding. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rewrite(String pathPrefix) {
}
