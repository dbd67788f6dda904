package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** What the operator observed: conditions, addresses, per-listener and per-backend figures. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoadBalancerStatus(
    Long observedGeneration,
    List<Condition> conditions,
    List<Address> addresses,
    List<ListenerStatus> listeners,
    List<BackendStatus> backends,
    Integer readyReplicas) {
}
