package dev.gantry.operator.status;

import dev.gantry.model.Address;
import dev.gantry.model.LoadBalancerStatus;
import dev.gantry.operator.translate.Resolution;
import java.time.Instant;
import java.util.List;

/**
 * What one reconciliation saw, everything the status is made from.
 *
 * @param generation the LoadBalancer's metadata.generation
 * @param resolution the compiled model and its findings
 * @param addresses the fleet Service's addresses
 * @param desiredReplicas the replicas asked for
 * @param readyReplicas the fleet Deployment's ready replicas, null before it reports any
 * @param servingPods ready proxy pods that serve this generation
 * @param previous the status before this reconciliation, null on the first
 * @param now the time of this reconciliation
 * @param addressRefusal why the API server refused the cluster IPs {@code spec.service.addresses} asks for, or null
 */
public record Observed(long generation, Resolution resolution, List<Address> addresses, int desiredReplicas,
    Integer readyReplicas, int servingPods, LoadBalancerStatus previous, Instant now, String addressRefusal) {

  /** With the fleet's Service made as asked. */
  public Observed(long generation, Resolution resolution, List<Address> addresses, int desiredReplicas,
      Integer readyReplicas, int servingPods, LoadBalancerStatus previous, Instant now) {
    this(generation, resolution, addresses, desiredReplicas, readyReplicas, servingPods, previous, now, null);
  }
}
