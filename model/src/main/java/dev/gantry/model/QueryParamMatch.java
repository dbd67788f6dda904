package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A query parameter that must be present with exactly this value. The name is case-sensitive; the request's
 * name and value are compared after percent-decoding ({@code +} stays a plus); when the name appears more than
 * once, its first value counts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueryParamMatch(String name, String value) {
}
