package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A Secret in the load balancer's namespace, by name (cluster only). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretRef(String name) {
}
