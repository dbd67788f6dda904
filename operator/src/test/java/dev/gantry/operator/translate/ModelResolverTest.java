package dev.gantry.operator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.BackendStatus;
import dev.gantry.model.LoadBalancer;
import dev.gantry.model.LoadResult;
import dev.gantry.model.ModelCodec;
import dev.gantry.model.ModelLoader;
import dev.gantry.model.ValidationMode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The translation, table-driven: a spec and the cluster around it in, the served model and findings out. */
public class ModelResolverTest {

  static final String HEAD = """
      apiVersion: gantry.dev/v1alpha1
      kind: LoadBalancer
      metadata: {name: shop, namespace: web, generation: 4}
      spec:
      """;

  public static LoadBalancer lb(String spec) {
    try {
      return ModelCodec.fromJson(ModelCodec.jsonMapper().writeValueAsString(
          ModelCodec.yamlMapper().readTree(HEAD + spec.indent(2))));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Service service(String name, String portName, int port, String type) {
    return new ServiceBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withType(type).withExternalName(type.equals("ExternalName") ? "db.example.com" : null)
        .addNewPort().withName(portName).withPort(port).withProtocol("TCP").endPort().endSpec().build();
  }

  public static EndpointSlice slice(String service, String portName, int port, String... addresses) {
    EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withName(service + "-x").endMetadata()
        .withAddressType("IPv4").addNewPort().withName(portName).withPort(port).withProtocol("TCP").endPort();
    for (String a : addresses) {
      boolean ready = !a.startsWith("!");
      boolean terminating = a.startsWith("~");
      b.addToEndpoints(new EndpointBuilder().withAddresses(a.replaceAll("^[!~]", "")).withNewConditions()
          .withReady(ready && !terminating).withTerminating(terminating).endConditions().build());
    }
    return b.build();
  }

  static Secret tls(String name, boolean valid) {
    Base64.Encoder e = Base64.getEncoder();
    String cert = valid ? "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n" : "garbage";
    return new SecretBuilder().withNewMetadata().withName(name).endMetadata().withType("kubernetes.io/tls")
        .withData(Map.of("tls.crt", e.encodeToString(cert.getBytes(StandardCharsets.US_ASCII)),
            "tls.key", e.encodeToString("-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n"
                .getBytes(StandardCharsets.US_ASCII))))
        .build();
  }

  static final String WEB = """
      listeners: [{name: http, port: 80, protocol: HTTP, defaultBackend: web}]
      backends: [{name: web, service: {name: web, port: %s}}]
      """;

  record Case(String name, String spec, ClusterRefs refs, String endpoints, List<String> findings,
      boolean servable) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    ClusterRefs web = new ClusterRefs(Map.of("web", service("web", "http", 80, "ClusterIP")),
        Map.of("web", List.of(slice("web", "http", 8080, "10.0.0.2", "10.0.0.1", "!10.0.0.3", "~10.0.0.4"))), Map.of());
    return Stream.of(
        new Case("service port by number: ready endpoints, sorted", WEB.formatted("80"), web,
            "web=10.0.0.1:8080,10.0.0.2:8080", List.of(), true),
        new Case("service port by name", WEB.formatted("http"), web, "web=10.0.0.1:8080,10.0.0.2:8080", List.of(),
            true),
        new Case("missing service: served with no endpoint", WEB.formatted("80"), ClusterRefs.NONE, "web=",
            List.of("ServiceNotFound: backend \"web\": Service \"web\" not found; its requests get 503 until it exists"),
            true),
        new Case("missing port", WEB.formatted("9090"), web, "web=",
            List.of("PortNotFound: backend \"web\": Service \"web\" has no port 9090 (it has http 80)"), true),
        new Case("ExternalName service", WEB.formatted("80"),
            new ClusterRefs(Map.of("web", service("web", "http", 80, "ExternalName")), Map.of(), Map.of()),
            "web=db.example.com:80", List.of(), true),
        new Case("static endpoints pass through", """
            listeners: [{name: http, port: 80, protocol: HTTP, defaultBackend: web}]
            backends: [{name: web, endpoints: [{address: 10.9.9.9, port: 81}]}]
            """, ClusterRefs.NONE, "web=10.9.9.9:81", List.of(), true),
        new Case("invalid route left out", WEB.formatted("80") + """
            routes:
            - {name: good, paths: [{value: /a}], backends: [{name: web}]}
            - {name: bad, paths: [{value: /b}], backends: [{name: nowhere}]}
            """, web, "web=10.0.0.1:8080,10.0.0.2:8080",
            List.of("Invalid: route \"bad\" is not served: backends[0].name: no backend named \"nowhere\""), true),
        new Case("a backend left out takes its routes along", """
            listeners: [{name: http, port: 80, protocol: HTTP, defaultBackend: web}]
            routes: [{name: r, backends: [{name: broken}]}]
            backends:
            - {name: web, endpoints: [{address: 10.9.9.9, port: 81}]}
            - {name: broken, endpoints: [{address: 10.9.9.9, port: 0}]}
            """, ClusterRefs.NONE, "web=10.9.9.9:81",
            List.of("Invalid: backend \"broken\" is not served: endpoints[0].port: expected a port from 1 to 65535, got 0",
                "Invalid: route \"r\" is not served: backends[0].name: no backend named \"broken\""), true),
        new Case("broken timeouts: nothing served", "timeouts: {connect: soon}\n" + WEB.formatted("80"), web, "",
            List.of("Invalid: spec.timeouts.connect: expected a duration such as 500ms, 5s, 1m30s or 1h, got \"soon\""),
            false),
        new Case("certificate bundled", """
            listeners: [{name: https, port: 443, protocol: HTTPS, defaultBackend: web,
              tls: {certificates: [{secretName: a}, {secretName: b}]}}]
            backends: [{name: web, endpoints: [{address: 10.9.9.9, port: 81}]}]
            """, new ClusterRefs(Map.of(), Map.of(), Map.of("a", tls("a", true), "b", tls("b", false))),
            "web=10.9.9.9:81",
            List.of("InvalidSecret: listener \"https\": Secret \"b\": tls.crt and tls.key must be PEM"), true),
        new Case("no certificate left: listener out, nothing to serve", """
            listeners: [{name: https, port: 443, protocol: HTTPS, defaultBackend: web,
              tls: {certificates: [{secretName: a}]}}]
            backends: [{name: web, endpoints: [{address: 10.9.9.9, port: 81}]}]
            """, ClusterRefs.NONE, "",
            List.of("SecretNotFound: listener \"https\": Secret \"a\" not found",
                "SecretNotFound: listener \"https\" is not served: none of its certificates is available",
                "Invalid: spec.listeners: at least one listener is required"), false)
    ).map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resolves(Case c) {
    Resolution r = ModelResolver.resolve(lb(c.spec()), c.refs());
    assertThat(r.findings()).extracting(f -> f.reason() + ": " + f.message()).containsExactlyElementsOf(c.findings());
    assertThat(r.servable()).isEqualTo(c.servable());
    if (!c.servable()) {
      return;
    }
    String endpoints = String.join(";", r.model().spec().backends().stream().map(b -> b.name() + "="
        + String.join(",", b.endpoints().stream().map(e -> e.address() + ":" + e.port()).toList())).toList());
    assertThat(endpoints).isEqualTo(c.endpoints());
    // what the proxy receives passes its own check, with no cluster reference left
    LoadResult check = ModelLoader.load("model", ModelCodec.toYaml(r.model()), ValidationMode.RESOLVED);
    assertThat(check.diagnostics()).isEmpty();
    assertThat(r.model().metadata().generation()).isEqualTo(4);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsEveryBackendOfTheSpec(Case c) {
    Resolution r = ModelResolver.resolve(lb(c.spec()), c.refs());
    assertThat(r.backends()).extracting(BackendStatus::name)
        .containsExactlyElementsOf(lb(c.spec()).spec().backends().stream().map(b -> b.name()).toList());
  }
}
