package dev.gantry.operator.dependent;

import java.util.List;

/**
 * The API server refused the cluster IPs {@code spec.service.addresses} asks for (outside the Service CIDR, taken
 * by another Service, of a family the cluster does not serve): the fleet's other objects are still reconciled and
 * the load balancer's status says why it has no Service of these addresses.
 *
 * @param addresses the addresses asked for
 * @param reason the API server's message
 */
public record ServiceAddressRefusal(List<String> addresses, String reason) {

  /** Its key in the reconciliation's context, where {@link ServiceDependent} leaves it for the status. */
  public static final String KEY = "gantry.service-address-refusal";

  /** For the status: names the addresses and the API server's reason. */
  public String message() {
    return "spec.service.addresses " + String.join(", ", addresses) + ": the API server refused the fleet's "
        + "Service: " + reason;
  }
}
