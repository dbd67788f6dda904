package dev.gantry.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks {@code spec.service.addresses}: IPv4 or IPv6 literals, at most one of each family, since a Service has
 * at most one cluster IP per family.
 */
final class ServiceRules {

  private ServiceRules() {
  }

  static void check(String path, ServiceSpec service, Problems problems) {
    List<String> addresses = service.addresses();
    String at = path + ".addresses";
    if (addresses != null && addresses.size() > ServiceSpec.MAX_ADDRESSES) {
      problems.add(at, "at most " + ServiceSpec.MAX_ADDRESSES + " addresses (one IPv4, one IPv6), got "
          + addresses.size());
    }
    Map<String, String> byFamily = new HashMap<>();
    for (int i = 0; addresses != null && i < addresses.size(); i++) {
      String entry = FieldPath.index(at, i);
      String address = addresses.get(i);
      if (!problems.entry(entry, address, "an IP address")) {
        continue;
      }
      String family = ServiceSpec.family(address);
      if (family == null) {
        problems.add(entry, "expected an IPv4 or IPv6 address such as 10.96.0.20 or fd00::20, got "
            + Problems.quote(address));
      } else if (byFamily.containsKey(family)) {
        problems.add(entry, "at most one " + family + " address (a Service has one cluster IP per family), got "
            + byFamily.get(family) + " and " + address);
      } else {
        byFamily.put(family, address);
      }
    }
  }
}
