package dev.gantry.model;

import java.util.List;

/** The rules of {@code spec.backends}: where traffic goes, and how endpoints are checked. */
final class BackendRules {

  static final int MAX_BACKENDS = 256;
  static final int MAX_ENDPOINTS = 1024;
  static final int MAX_ENDPOINT_WEIGHT = 256;
  static final int MAX_THRESHOLD = 100;
  static final int MAX_SUBJECT_ALT_NAMES = 16;

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
    if (b.fixedResponse() != null) {
      fixedResponse(path, b, problems);
      return;
    }
    if (b.service() != null && b.endpoints() != null) {
      problems.add(path, "set either service or endpoints, not both");
    } else if (b.service() == null && b.endpoints() == null) {
      problems.add(path, "needs service, endpoints or fixedResponse");
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
    tls(path, b, mode, problems);
  }

  /** A backend answered by the proxy itself has nothing to connect to, check or encrypt. */
  private static void fixedResponse(String path, Backend b, Problems problems) {
    String at = path + ".fixedResponse.status";
    Integer status = b.fixedResponse().status();
    if (problems.required(at, status)
        && (status < FixedResponse.MIN_STATUS || status > FixedResponse.MAX_STATUS)) {
      problems.add(at, "expected an HTTP status from " + FixedResponse.MIN_STATUS + " to " + FixedResponse.MAX_STATUS
          + ", got " + status);
    }
    String[] fields = {"service", "endpoints", "healthCheck", "tls", "protocol", "proxyProtocol",
        "maxConnectionsPerEndpoint"};
    Object[] values = {b.service(), b.endpoints(), b.healthCheck(), b.tls(), b.protocol(), b.proxyProtocol(),
        b.maxConnectionsPerEndpoint()};
    for (int i = 0; i < fields.length; i++) {
      if (values[i] != null) {
        problems.add(path + "." + fields[i], "not allowed with fixedResponse: the proxy answers this backend itself");
      }
    }
  }

  /**
   * A TLS backend says how its certificate is verified: with a CA bundle (a file, or references in a cluster),
   * or (tests only) not at all. In a cluster a Service backend may leave its protocol to the Service port's
   * {@code appProtocol}, and so have tls without a protocol.
   */
  private static void tls(String path, Backend b, ValidationMode mode, Problems problems) {
    BackendTls tls = b.tls();
    boolean fromAppProtocol = b.protocol() == null && b.service() != null && mode == ValidationMode.CLUSTER;
    if (!usesTls(b.protocolOrDefault()) && !(tls != null && fromAppProtocol)) {
      if (tls != null) {
        problems.add(path, "tls is only allowed with protocol TLS or H2");
      }
      return;
    }
    boolean skip = tls != null && tls.insecureSkipVerifyOrDefault();
    boolean refs = tls != null && tls.caCertificateRefs() != null;
    if (tls == null || (tls.caFile() == null && !refs && !skip)) {
      problems.add(path + ".tls", "a TLS backend needs tls.caFile (tls.caCertificateRefs in a cluster), "
          + "or tls.insecureSkipVerify: true");
    }
    if (tls == null) {
      return;
    }
    String at = path + ".tls";
    if ((tls.caFile() != null ? 1 : 0) + (refs ? 1 : 0) + (skip ? 1 : 0) > 1) {
      problems.add(at + (skip ? ".insecureSkipVerify" : ".caCertificateRefs"),
          "set only one of caFile, caCertificateRefs and insecureSkipVerify: true");
    }
    blankFile(at + ".caFile", tls.caFile(), problems);
    blankFile(at + ".certificateFile", tls.certificateFile(), problems);
    blankFile(at + ".keyFile", tls.keyFile(), problems);
    if ((tls.certificateFile() == null) != (tls.keyFile() == null)) {
      problems.add(at + (tls.certificateFile() == null ? ".certificateFile" : ".keyFile"),
          "certificateFile and keyFile go together");
    }
    if (tls.clientCertificateRef() != null && (tls.certificateFile() != null || tls.keyFile() != null)) {
      problems.add(at + ".clientCertificateRef", "set either clientCertificateRef or certificateFile and keyFile, "
          + "not both");
    }
    ReferenceRules.caRefs(at + ".caCertificateRefs", tls.caCertificateRefs(), "caFile", mode, problems);
    ReferenceRules.secret(at + ".clientCertificateRef", tls.clientCertificateRef(), "certificateFile and keyFile",
        mode, problems);
    if (tls.serverName() != null && !Names.isHostname(tls.serverName())) {
      problems.add(at + ".serverName", "expected a host name, got " + Problems.quote(tls.serverName()));
    }
    List<String> names = tls.subjectAltNamesOrEmpty();
    problems.atMost(at + ".subjectAltNames", names, MAX_SUBJECT_ALT_NAMES, "name");
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (problems.entry(FieldPath.index(at + ".subjectAltNames", i), name, "a host name")
          && !Names.isHostPattern(name) && !Names.isAddress(name) && !Names.isUri(name)) {
        problems.add(FieldPath.index(at + ".subjectAltNames", i),
            "expected a host name, *.domain, an IP address or a URI (scheme:...), got " + Problems.quote(name));
      }
    }
    if (!tls.verifyServerNameOrDefault() && names.isEmpty()) {
      problems.add(at + ".verifyServerName", "verifyServerName: false needs subjectAltNames, the names the "
          + "certificate must carry instead");
    }
  }

  /** The protocols that speak TLS to the backend, and so take a {@code tls} block. */
  static boolean usesTls(BackendProtocol p) {
    return p == BackendProtocol.TLS || p == BackendProtocol.H2;
  }

  private static void blankFile(String path, String value, Problems problems) {
    if (value != null && value.isBlank()) {
      problems.add(path, "expected a file path, got " + Problems.quote(value));
    }
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
