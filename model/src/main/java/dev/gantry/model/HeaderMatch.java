package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A request header that must be present with exactly this value (the name ignores case). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeaderMatch(String name, String value) {
}
