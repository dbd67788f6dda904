package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Cluster only: the proxy fleet of a load balancer. Ignored standalone. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentSpec(
    Integer replicas,
    ResourceRequirements resources,
    Map<String, String> nodeSelector,
    List<Toleration> tolerations) {
}
