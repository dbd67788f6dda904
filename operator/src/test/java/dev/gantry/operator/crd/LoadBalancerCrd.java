package dev.gantry.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gantry.model.FixedResponse;
import dev.gantry.operator.api.LoadBalancerResource;
import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code LoadBalancer} CustomResourceDefinition: fabric8's generator reads the structure from the
 * {@code model} records, and {@link #constrain} adds what records cannot say (required fields, ranges,
 * patterns, list keys, CEL rules, printer columns), so the model module stays free of Kubernetes.
 *
 * <p>Every CEL rule over a list is bounded by the list's {@code maxItems} and its strings' {@code maxLength}:
 * the API server refuses a CRD whose rules have an unbounded estimated cost.
 */
public final class LoadBalancerCrd {

  /** Where the checked-in CRD lives, relative to the repository root. */
  public static final Path CHECKED_IN = Path.of("crds", "loadbalancers.gantry.dev.yaml");

  static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
  static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  static final String DURATION = "^([0-9]{1,5}(h|m|s|ms)){1,4}$";
  static final String HOST = "^(\\*\\.)?[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?"
      + "(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$";
  static final String DATA_KEY = "^[-._a-zA-Z0-9]+$";
  static final String HEADER_NAME = "^[-!#$%&'*+.^_`|~0-9A-Za-z]+$";
  static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};

  private static final String HEADER = """
      # The LoadBalancer CustomResourceDefinition (gantry.dev/v1alpha1).
      # Generated from the model's records by operator/src/test/.../crd/LoadBalancerCrd.java: do not edit.
      # Regenerate with: ./mvnw verify -pl model,proxy,operator -am -Dtest=CrdDriftTest \\
      #   -Dsurefire.failIfNoSpecifiedTests=false -Dgantry.crd.update=true
      """;

  private LoadBalancerCrd() {
  }

  /** The CRD as YAML, exactly as it is checked in. */
  public static String yaml() {
    ObjectMapper yaml = new YAMLMapper(YAMLFactory.builder()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
        .build()).enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    try {
      ObjectNode crd = (ObjectNode) yaml.readTree(generated());
      constrain(crd);
      return HEADER + yaml.writeValueAsString(crd);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String generated() throws IOException {
    Path dir = Files.createTempDirectory("gantry-crd");
    try {
      new CRDGenerator()
          .customResourceClasses(LoadBalancerResource.class)
          .forCRDVersions("v1")
          .inOutputDir(dir.toFile())
          .generate();
      return Files.readString(dir.resolve("loadbalancers.gantry.dev-v1.yml"));
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }

  static void constrain(ObjectNode crd) {
    ObjectNode version = (ObjectNode) crd.path("spec").path("versions").get(0);
    SchemaNode root = SchemaNode.root((ObjectNode) version.path("schema").path("openAPIV3Schema"));
    root.required("spec");
    spec(root.at("spec"));
    listeners(root.at("spec.listeners"), root.at("spec.listeners[]"));
    routes(root.at("spec.routes"), root.at("spec.routes[]"));
    backends(root.at("spec.backends"), root.at("spec.backends[]"));
    fleet(root.at("spec"));
    status(root.at("status"));
    printerColumns(version);
  }

  private static void spec(SchemaNode spec) {
    // backends may be absent: a load balancer serving Ingresses gets its backends from them
    spec.required("listeners");
    SchemaNode timeouts = spec.at("timeouts");
    for (String t : new String[] {"connect", "client", "server", "httpRequest", "tunnel"}) {
      duration(timeouts.at(t));
    }
    // TCP listeners take only their defaultBackend: a route may not name one. The outer loop is over the
    // listeners, and only a TCP one walks the routes: routes x their listeners x listeners, all at maxItems,
    // cost more than the API server's per-call limit, and it would refuse such a valid LoadBalancer.
    spec.rule("!has(self.routes) || self.listeners.all(l, l.protocol != 'TCP' || "
        + "self.routes.all(r, !has(r.listeners) || !(l.name in r.listeners)))",
        "a route cannot name a TCP listener: TCP listeners take no routes, only a defaultBackend", ".routes");
  }

  private static void listeners(SchemaNode list, SchemaNode l) {
    list.items(1, 64).listMap("name")
        .rule("self.all(l, self.exists_one(m, m.port == l.port))", "listener ports must be unique");
    l.required("name", "port", "protocol");
    label(l.at("name"));
    l.at("port").range(1, 65535);
    label(l.at("defaultBackend"));
    label(l.at("redirectToHttps"));
    l.rule("self.protocol != 'TCP' || has(self.defaultBackend)",
        "a TCP listener needs a defaultBackend, since it takes no routes", ".defaultBackend");
    l.rule("!has(self.tls) || self.protocol == 'HTTPS' || self.protocol == 'TLS'",
        "tls is only allowed on HTTPS and TLS listeners", ".tls");
    l.rule("!has(self.tls) || self.protocol != 'TLS' || (has(self.tls.certificates) "
        + "&& size(self.tls.certificates) > 0)",
        "tls on a TLS listener terminates TLS and needs certificates", ".tls.certificates");
    l.rule("!has(self.tls) || self.protocol != 'TLS' || (!has(self.tls.alpn) && !has(self.tls.clientCertificates) "
        + "&& !has(self.tls.sniHosts))",
        "alpn, clientCertificates and sniHosts are only allowed on HTTPS listeners", ".tls");
    l.rule("!has(self.redirectToHttps) || self.protocol == 'HTTP'",
        "redirectToHttps is only allowed on HTTP listeners", ".redirectToHttps");
    SchemaNode tls = l.at("tls");
    tls.at("minVersion").enumOf("1.2", "1.3");
    tls.at("alpn").maxItems(2).listSet();
    tls.at("alpn[]").enumOf("h2", "http/1.1");
    tls.at("certificates").maxItems(64);
    tls.at("sniHosts").maxItems(64).listSet();
    tls.at("sniHosts[]").maxLength(253).pattern(HOST);
    SchemaNode cert = tls.at("certificates[]");
    cert.at("secretName").maxLength(253).pattern(DNS_SUBDOMAIN);
    cert.at("certFile").maxLength(4096);
    cert.at("keyFile").maxLength(4096);
    cert.rule("has(self.secretName) != (has(self.certFile) || has(self.keyFile))",
        "set either secretName, or certFile and keyFile");
    cert.rule("has(self.certFile) == has(self.keyFile)", "certFile and keyFile go together");
    SchemaNode client = tls.at("clientCertificates");
    client.required("mode");
    client.at("caFile").maxLength(4096);
    client.at("crlFile").maxLength(4096);
    client.at("depth").range(1, 10);
    client.rule("has(self.caFile) != has(self.caCertificateRefs)",
        "set either caFile (standalone) or caCertificateRefs (cluster)");
    client.rule("!has(self.crlFile) || !has(self.crlRef)", "set either crlFile or crlRef, not both");
    caRefs(client.at("caCertificateRefs"), client.at("caCertificateRefs[]"));
    keyRef(client.at("crlRef"));
  }

  /** References to keys of ConfigMaps and Secrets holding CA bundles, as Gateway API's BackendTLSPolicy has. */
  private static void caRefs(SchemaNode list, SchemaNode ref) {
    list.items(1, 8);
    keyRef(ref);
  }

  private static void keyRef(SchemaNode ref) {
    ref.required("kind", "name");
    ref.at("name").maxLength(253).pattern(DNS_SUBDOMAIN);
    ref.at("key").maxLength(253).pattern(DATA_KEY);
  }

  private static void routes(SchemaNode list, SchemaNode r) {
    list.maxItems(256).listMap("name");
    r.required("name");
    label(r.at("name"));
    r.at("listeners").maxItems(16).listSet();
    label(r.at("listeners[]"));
    r.at("hosts").maxItems(64).listSet();
    r.at("hosts[]").maxLength(253).pattern(HOST);
    r.at("paths").maxItems(64);
    SchemaNode path = r.at("paths[]");
    path.required("value");
    path.at("value").maxLength(1024);
    path.rule("(has(self.type) && self.type == 'Regex') || self.value.startsWith('/')",
        "Exact and Prefix paths start with '/'", ".value");
    r.at("headers").maxItems(16);
    SchemaNode header = r.at("headers[]");
    header.required("name", "value");
    header.at("name").maxLength(256).pattern(HEADER_NAME);
    header.at("value").maxLength(4096);
    r.at("methods").maxItems(METHODS.length).listSet();
    r.at("methods[]").enumOf(METHODS);
    r.at("backends").items(1, 16).listMap("name")
        .rule("self.exists(b, !has(b.weight) || b.weight > 0)", "at least one backend needs a weight above 0");
    SchemaNode backend = r.at("backends[]");
    backend.required("name");
    label(backend.at("name"));
    backend.at("weight").range(0, 1_000_000);
    headerModifier(backend.at("requestHeaders"));
    queryParams(r.at("queryParams"), r.at("queryParams[]"));
    r.rule("has(self.backends) != has(self.redirect)", "a route needs backends, or a redirect instead of them");
    r.rule("!has(self.redirect) || !(has(self.rewrite) || has(self.requestHeaders) || has(self.timeout) "
        + "|| has(self.retries) || has(self.mirrors))", "a redirect is answered by the proxy: it takes no rewrite, "
        + "requestHeaders, timeout, retries or mirrors", ".redirect");
    SchemaNode rewrite = r.at("rewrite");
    rewrite.rule("has(self.pathPrefix) || has(self.path) || has(self.host)",
        "a rewrite needs pathPrefix, path or host");
    pathModifier(r, "rewrite");
    hostname(rewrite.at("host"));
    SchemaNode redirect = r.at("redirect");
    redirect.at("scheme").enumOf("http", "https");
    hostname(redirect.at("host"));
    redirect.at("port").range(1, 65535);
    redirect.rule("!has(self.status) || self.status in [301, 302, 303, 307, 308]",
        "status must be one of 301, 302, 303, 307, 308", ".status");
    pathModifier(r, "redirect");
    headerModifier(r.at("requestHeaders"));
    headerModifier(r.at("responseHeaders"));
    duration(r.at("timeout"));
    r.at("retries").range(0, 10);
    r.at("mirrors").maxItems(16);
    SchemaNode mirror = r.at("mirrors[]");
    mirror.required("backend");
    label(mirror.at("backend"));
    mirror.at("percent").range(0, 100);
    cors(r.at("cors"));
    sessionPersistence(r.at("sessionPersistence"));
  }

  private static void sessionPersistence(SchemaNode s) {
    s.at("name").maxLength(128).pattern(HEADER_NAME);
    duration(s.at("absoluteTimeout"));
    duration(s.at("idleTimeout"));
    s.rule("!has(self.lifetime) || !has(self.type) || self.type == 'Cookie'", "only a Cookie session has a lifetime",
        ".lifetime");
    s.rule("!has(self.lifetime) || self.lifetime != 'Permanent' || has(self.absoluteTimeout)",
        "a Permanent cookie needs absoluteTimeout, which sets its Max-Age", ".lifetime");
  }

  private static void cors(SchemaNode c) {
    c.at("allowOrigins").maxItems(64).listSet();
    c.at("allowOrigins[]").maxLength(253);
    for (String list : new String[] {"allowMethods", "allowHeaders", "exposeHeaders"}) {
      c.at(list).maxItems(64).listSet();
      c.at(list + "[]").maxLength(256).pattern(HEADER_NAME);
    }
    c.at("maxAge").range(0, 86_400);
  }

  /** The path and pathPrefix of a rewrite or redirect; a prefix replaces what a Prefix path matched. */
  private static void pathModifier(SchemaNode r, String field) {
    SchemaNode m = r.at(field);
    m.at("path").maxLength(1024).pattern("^/");
    m.at("pathPrefix").maxLength(1024).pattern("^/");
    m.rule("!has(self.path) || !has(self.pathPrefix)", "set either path or pathPrefix, not both");
    r.rule("!has(self." + field + ") || !has(self." + field + ".pathPrefix) || !has(self.paths) "
        + "|| self.paths.all(p, !has(p.type) || p.type == 'Prefix')",
        field + ".pathPrefix needs every path to be a Prefix", "." + field);
  }

  private static void queryParams(SchemaNode list, SchemaNode q) {
    list.maxItems(16).listMap("name");
    q.required("name", "value");
    q.at("name").maxLength(256);
    q.at("value").maxLength(1024);
  }

  private static void hostname(SchemaNode s) {
    s.maxLength(253).pattern("^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$");
  }

  private static void headerModifier(SchemaNode m) {
    m.at("set").maxProperties(64);
    m.at("set").values().maxLength(4096);
    m.at("add").maxProperties(64);
    m.at("add").values().maxLength(4096);
    m.at("remove").maxItems(64).listSet();
    m.at("remove[]").maxLength(256).pattern(HEADER_NAME);
  }

  private static void backends(SchemaNode list, SchemaNode b) {
    list.maxItems(256).listMap("name");
    b.required("name");
    label(b.at("name"));
    b.rule("(has(self.service) ? 1 : 0) + (has(self.endpoints) ? 1 : 0) + (has(self.fixedResponse) ? 1 : 0) == 1",
        "set one of service, endpoints and fixedResponse");
    b.rule("!has(self.fixedResponse) || !(has(self.healthCheck) || has(self.tls) || has(self.protocol) "
        + "|| has(self.proxyProtocol) || has(self.maxConnectionsPerEndpoint))",
        "a fixedResponse backend is answered by the proxy: it takes no healthCheck, tls, protocol, proxyProtocol "
        + "or maxConnectionsPerEndpoint");
    b.at("fixedResponse").required("status");
    b.at("fixedResponse.status").range(FixedResponse.MIN_STATUS, FixedResponse.MAX_STATUS);
    SchemaNode service = b.at("service");
    service.required("name", "port");
    label(service.at("name"));
    service.at("port").intOrString();
    SchemaNode endpoints = b.at("endpoints");
    endpoints.items(1, 1024).listMap("address", "port");
    SchemaNode e = b.at("endpoints[]");
    e.required("address", "port");
    e.at("address").maxLength(253);
    e.at("port").range(1, 65535);
    e.at("weight").range(0, 256);
    SchemaNode hc = b.at("healthCheck");
    hc.required("protocol");
    hc.at("path").maxLength(1024).pattern("^/");
    hc.rule("!has(self.path) || self.protocol == 'HTTP'", "path is only allowed with protocol HTTP", ".path");
    duration(hc.at("interval"));
    duration(hc.at("timeout"));
    hc.at("healthyThreshold").range(1, 100);
    hc.at("unhealthyThreshold").range(1, 100);
    b.at("maxConnectionsPerEndpoint").min(0);
    backendTls(b);
  }

  private static void backendTls(SchemaNode b) {
    b.rule("!has(self.tls) || (has(self.protocol) ? self.protocol == 'TLS' || self.protocol == 'H2' "
        + ": has(self.service))",
        "tls is only allowed with protocol TLS or H2, or on a Service backend that takes its protocol from appProtocol");
    b.rule("!(has(self.tls) || (has(self.protocol) && (self.protocol == 'TLS' || self.protocol == 'H2'))) "
        + "|| (has(self.tls) && (has(self.tls.caFile) || has(self.tls.caCertificateRefs) "
        + "|| (has(self.tls.insecureSkipVerify) && self.tls.insecureSkipVerify)))",
        "a TLS backend needs tls.caFile or tls.caCertificateRefs, or tls.insecureSkipVerify: true", ".tls");
    SchemaNode tls = b.at("tls");
    tls.rule("(has(self.caFile) ? 1 : 0) + (has(self.caCertificateRefs) ? 1 : 0) "
        + "+ (has(self.insecureSkipVerify) && self.insecureSkipVerify ? 1 : 0) <= 1",
        "set only one of caFile, caCertificateRefs and insecureSkipVerify: true");
    tls.rule("has(self.certificateFile) == has(self.keyFile)", "certificateFile and keyFile go together");
    tls.rule("!has(self.clientCertificateRef) || !has(self.certificateFile)",
        "set either clientCertificateRef, or certificateFile and keyFile");
    tls.at("caFile").maxLength(4096);
    tls.at("certificateFile").maxLength(4096);
    tls.at("keyFile").maxLength(4096);
    tls.at("serverName").maxLength(253);
    tls.at("subjectAltNames").maxItems(16);
    tls.at("subjectAltNames[]").maxLength(253);
    caRefs(tls.at("caCertificateRefs"), tls.at("caCertificateRefs[]"));
    tls.at("clientCertificateRef").required("name");
    tls.at("clientCertificateRef.name").maxLength(253).pattern(DNS_SUBDOMAIN);
  }

  private static void fleet(SchemaNode spec) {
    SchemaNode d = spec.at("deployment");
    d.at("replicas").min(0);
    d.at("tolerations[]").at("operator").enumOf("Exists", "Equal");
    d.at("tolerations[]").at("effect").enumOf("NoSchedule", "PreferNoSchedule", "NoExecute");
    spec.at("service").at("annotations").maxProperties(64);
    spec.at("service").at("addresses").maxItems(2).listSet();
    spec.at("service").at("addresses[]").maxLength(45);
    spec.at("infrastructure").at("labels").maxProperties(16);
    spec.at("infrastructure").at("annotations").maxProperties(16);
  }

  private static void status(SchemaNode status) {
    status.at("conditions").listMap("type");
    SchemaNode c = status.at("conditions[]");
    c.required("type", "status", "lastTransitionTime", "reason", "message");
    c.at("status").enumOf("True", "False", "Unknown");
    c.at("lastTransitionTime").description("RFC 3339 time of the last change of status");
    status.at("addresses[]").at("type").enumOf("IPAddress", "Hostname");
    status.at("listeners").listMap("name");
    status.at("listeners[]").required("name");
    status.at("backends").listMap("name");
    status.at("backends[]").required("name");
  }

  private static void printerColumns(ObjectNode version) {
    ArrayNode columns = version.putArray("additionalPrinterColumns");
    column(columns, "Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status");
    column(columns, "Address", "string", ".status.addresses[0].value");
    column(columns, "Listeners", "string", ".spec.listeners[*].port");
    column(columns, "Age", "date", ".metadata.creationTimestamp");
  }

  private static void column(ArrayNode columns, String name, String type, String jsonPath) {
    ObjectNode c = columns.addObject();
    c.put("name", name);
    c.put("type", type);
    c.put("jsonPath", jsonPath);
  }

  private static void label(SchemaNode s) {
    s.maxLength(63).pattern(DNS_LABEL);
  }

  private static void duration(SchemaNode s) {
    s.maxLength(32).pattern(DURATION);
  }

  /** For tests that inspect the schema: the CRD as a tree. */
  static JsonNode tree() {
    try {
      return new YAMLMapper().readTree(yaml());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
