package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An address of the fleet's Service: {@code IPAddress} or {@code Hostname}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Address(String type, String value) {
}
