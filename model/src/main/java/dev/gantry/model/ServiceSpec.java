package dev.gantry.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Cluster only: how the proxy fleet is exposed. Ignored standalone.
 *
 * @param addresses the cluster IPs the fleet's Service asks for, at most one per IP family (the first is the
 *     primary); none lets Kubernetes pick one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceSpec(ServiceType type, Map<String, String> annotations, List<String> addresses) {

  /** One address per IP family: IPv4 and IPv6. */
  public static final int MAX_ADDRESSES = 2;

  /** Without addresses of its own: Kubernetes picks the cluster IP. */
  public ServiceSpec(ServiceType type, Map<String, String> annotations) {
    this(type, annotations, null);
  }

  public List<String> addressesOrEmpty() {
    return addresses == null ? List.of() : addresses;
  }

  /** {@code IPv4} or {@code IPv6} (Kubernetes' ipFamilies names) for an IP literal, null for anything else. */
  public static String family(String address) {
    if (address == null) {
      return null;
    }
    return Names.isIpv4(address) ? "IPv4" : Names.isIpv6(address) ? "IPv6" : null;
  }
}
