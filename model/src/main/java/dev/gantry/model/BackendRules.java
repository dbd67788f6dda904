package dev.gantry.model;

import java.util.List;

/** The rules of {@code spec.backends}: where traffic goes, and how endpoints are checked. */
final class BackendRules {

  static final int MAX_BACKENDS = 256;
  static final int MAX_ENDPOINTS = 1024;
  static final int MAX_ENDPOINT_WEIGHT = 256;
  static final int MAX_THRESHOLD = 100;

  private BackendRules() {
  }

  static void check(List<Backend> backends, ValidationMode mode, Problems problems) {
    List<Backend> all = backends == null ? List.of() : backends;
    // None is fine: a load balancer that serves Ingresses gets its backends from them.
    problems.atMost("spec.backends", all, MAX_BACKENDS, "backend");
    problems.unique("spec.backends", all, Backend::name, "name", "name");
    for (int i = 0; i < all.size(); i++) {
      String path = FieldPath.index("spec.backends", i);
      if (problems.entry(path, all.get(i), "a backend")) {
        backend(path, all.get(i), mode, problems);
      }
    }
  }

  private static void backend(String path, Backend b, ValidationMode mode, Problems problems) {
    problems.label(path + ".name", b.name());
    if (b.service() != null && b.endpoints() != null) {
      problems.add(path, "set either service or endpoints, not both");
    } else if (b.service() == null && b.endpoints() == null) {
      problems.add(path, "needs service or endpoints");
    }
    if (b.service() != null) {
      if (mode == ValidationMode.CLUSTER) {
        service(path + ".service", b.service(), problems);
      } else if (b.endpoints() == null) {
        problems.add(path + ".service", "service needs a cluster; use endpoints");
      }
    }
    if (b.endpoints() != null && !(mode == ValidationMode.RESOLVED && b.endpoints().isEmpty())) {
      endpoints(path + ".endpoints", b.endpoints(), problems);
    }
    if (b.healthCheck() != null) {
      healthCheck(path + ".healthCheck", b.healthCheck(), problems);
    }
    problems.atLeast(path + ".maxConnectionsPerEndpoint", b.maxConnectionsPerEndpoint(), 0);
  }

  private static void service(String path, ServiceRef service, Problems problems) {
    problems.label(path + ".name", service.name());
    String port = service.port();
    if (problems.required(path + ".port", port)) {
      boolean number = port.chars().allMatch(Character::isDigit) && !port.isEmpty();
      int n = service.portNumber();
      if (number ? n < 1 || n > 65535 : !Names.isPortName(port)) {
        problems.add(path + ".port", "expected a port number from 1 to 65535 or a port name, got "
            + Problems.quote(port));
      }
    }
  }

  private static void endpoints(String path, List<Endpoint> endpoints, Problems problems) {
    problems.size(path, endpoints, MAX_ENDPOINTS, "endpoint");
    for (int i = 0; i < endpoints.size(); i++) {
      String at = FieldPath.index(path, i);
      Endpoint e = endpoints.get(i);
      if (!problems.entry(at, e, "an endpoint")) {
        continue;
      }
      if (problems.required(at + ".address", e.address()) && !Names.isAddress(e.address())) {
        problems.add(at + ".address", "expected an IP address or a host name, got " + Problems.quote(e.address()));
      }
      if (problems.required(at + ".port", e.port())) {
        problems.range(at + ".port", e.port(), 1, 65535, "a port");
      }
      problems.range(at + ".weight", e.weight(), 0, MAX_ENDPOINT_WEIGHT, "a weight");
    }
    problems.unique(path, endpoints, BackendRules::hostPort, "", "endpoint");
  }

  private static String hostPort(Endpoint e) {
    if (e.address() == null || e.port() == null) {
      return null;
    }
    return (e.address().contains(":") ? "[" + e.address() + "]" : e.address()) + ":" + e.port();
  }

  private static void healthCheck(String path, HealthCheck hc, Problems problems) {
    if (hc.protocol() == null) {
      problems.add(path + ".protocol", "required, one of TCP, HTTP");
    }
    if (hc.path() != null) {
      if (hc.protocol() == HealthCheckProtocol.TCP) {
        problems.add(path + ".path", "only allowed with protocol HTTP");
      } else if (!hc.path().startsWith("/") || hc.path().chars().anyMatch(c -> Character.isWhitespace(c) || c == '#')) {
        problems.add(path + ".path", "expected a path starting with \"/\" without whitespace or '#', got "
            + Problems.quote(hc.path()));
      }
    }
    problems.duration(path + ".interval", hc.interval());
    problems.duration(path + ".timeout", hc.timeout());
    problems.range(path + ".healthyThreshold", hc.healthyThreshold(), 1, MAX_THRESHOLD, "a threshold");
    problems.range(path + ".unhealthyThreshold", hc.unhealthyThreshold(), 1, MAX_THRESHOLD, "a threshold");
  }
}
