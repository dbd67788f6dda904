package dev.gantry.model;

import static dev.gantry.model.Fixtures.doc;
import static dev.gantry.model.Fixtures.small;
import static dev.gantry.model.ValidationMode.CLUSTER;
import static dev.gantry.model.ValidationMode.STANDALONE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoaderTest {

  private static List<String> diagnostics(String text, ValidationMode mode) {
    return ModelLoader.load("lb.yaml", text, mode).diagnostics().stream().map(Diagnostic::toString).toList();
  }

  private static LoadBalancer loadOne(String source, String text, ValidationMode mode) {
    LoadResult result = ModelLoader.load(source, text, mode);
    assertThat(result.diagnostics()).isEmpty();
    assertThat(result.ok()).isTrue();
    assertThat(result.loadBalancers()).hasSize(1);
    return result.loadBalancers().get(0);
  }

  @Test
  void readsClientCertificatesWithTheirDefaults() {
    LoadBalancer lb = loadOne("lb.yaml", doc("""
          listeners:
          - name: https
            port: 443
            protocol: HTTPS
            tls:
              clientCertificates: {mode: Optional, caFile: ca.pem, crlFile: ca.crl, forward: false}
          - name: partners
            port: 444
            protocol: HTTPS
            tls:
              clientCertificates: {mode: Require, caFile: ca.pem, depth: 1}
        """), STANDALONE);

    ClientCertificates optional = lb.spec().listeners().get(0).tls().clientCertificates();
    assertThat(optional).isEqualTo(new ClientCertificates(ClientCertificateMode.Optional, "ca.pem", null, "ca.crl",
        false));
    assertThat(optional.depthOrDefault()).isEqualTo(3);
    assertThat(optional.forwardOrDefault()).isFalse();
    ClientCertificates required = lb.spec().listeners().get(1).tls().clientCertificates();
    assertThat(required.depthOrDefault()).isEqualTo(1);
    assertThat(required.forwardOrDefault()).isTrue();
    assertThat(ModelCodec.toYaml(lb)).contains("clientCertificates:", "mode: Require", "depth: 1")
        .doesNotContain("null");
  }

  @Test
  void readsTheApiReferenceExampleFromYaml() {
    LoadBalancer lb = loadOne("shop.yaml", Fixtures.SHOP_YAML, CLUSTER);

    assertThat(lb.apiVersion()).isEqualTo("gantry.dev/v1alpha1");
    assertThat(lb.id()).isEqualTo("web/shop");
    LoadBalancerSpec spec = lb.spec();
    assertThat(spec.timeouts()).isEqualTo(new Timeouts("5s", "50s", "50s", "10s", "1h"));
    assertThat(spec.listeners()).extracting(Listener::name, Listener::port, Listener::protocol).containsExactly(
        org.assertj.core.groups.Tuple.tuple("http", 8080, Protocol.HTTP),
        org.assertj.core.groups.Tuple.tuple("https", 8443, Protocol.HTTPS),
        org.assertj.core.groups.Tuple.tuple("db", 5432, Protocol.TCP),
        org.assertj.core.groups.Tuple.tuple("mail-tls", 9443, Protocol.TLS));
    assertThat(spec.listeners().get(0).redirectToHttps()).isEqualTo("https");
    ListenerTls tls = spec.listeners().get(1).tls();
    assertThat(tls.certificates()).containsExactly(new CertificateRef("shop-tls", null, null),
        new CertificateRef(null, "certs/a.pem", "certs/a.key"));
    assertThat(tls.minVersion()).isEqualTo("1.2");
    assertThat(tls.alpn()).containsExactly("h2", "http/1.1");
    assertThat(spec.listeners().get(2).defaultBackend()).isEqualTo("postgres");

    Route route = spec.routes().get(0);
    assertThat(route.name()).isEqualTo("community");
    assertThat(route.listeners()).containsExactly("https");
    assertThat(route.hosts()).containsExactly("shop.example.com", "*.example.com");
    assertThat(route.paths()).containsExactly(PathMatch.prefix("/community"));
    assertThat(route.headers()).containsExactly(new HeaderMatch("X-Canary", "1"));
    assertThat(route.methods()).containsExactly("GET", "POST");
    assertThat(route.backends()).containsExactly(new RouteBackend("forum", 90), new RouteBackend("forum-next", 10));
    assertThat(route.rewrite()).isEqualTo(new Rewrite("/"));
    assertThat(route.requestHeaders()).isEqualTo(new HeaderModifier(Map.of("X-Env", "prod"),
        Map.of("X-Via", "gantry"), List.of("X-Debug")));
    assertThat(route.responseHeaders().set()).containsEntry("Strict-Transport-Security", "max-age=31536000");
    assertThat(route.timeout()).isEqualTo("30s");
    assertThat(route.retries()).isEqualTo(2);

    Backend forum = spec.backends().get(0);
    assertThat(forum.service()).isEqualTo(new ServiceRef("forum", "8080"));
    assertThat(forum.service().portNumber()).isEqualTo(8080);
    assertThat(spec.backends().get(1).service().portNumber()).isEqualTo(-1);
    assertThat(forum.balance()).isEqualTo(Balance.RoundRobin);
    assertThat(forum.healthCheck()).isEqualTo(new HealthCheck(HealthCheckProtocol.HTTP, "/healthz", "5s", "2s", 2, 3));
    assertThat(forum.maxConnectionsPerEndpoint()).isZero();
    assertThat(spec.backends().get(2).endpoints()).containsExactly(Endpoint.of("fd00::12", 9443));
    assertThat(spec.backends().get(2).protocol()).isEqualTo(BackendProtocol.TLS);
    assertThat(spec.backends().get(2).tls()).isEqualTo(new BackendTls("certs/backend-ca.pem", "fallback.internal",
        List.of("fallback.example.com"), "certs/client.pem", "certs/client.key", false));
    assertThat(forum.protocolOrDefault()).isEqualTo(BackendProtocol.HTTP1);
    assertThat(spec.backends().get(3).endpoints()).containsExactly(new Endpoint("10.0.0.12", 5432, 1));
    assertThat(spec.backends().get(3).proxyProtocol()).isEqualTo(ProxyProtocol.None);
    assertThat(spec.deployment()).isEqualTo(new DeploymentSpec(2, new ResourceRequirements(null, null), Map.of(), List.of()));
    assertThat(spec.service()).isEqualTo(new ServiceSpec(ServiceType.LoadBalancer, Map.of()));

    assertThat(lb.status().observedGeneration()).isEqualTo(3L);
    assertThat(lb.status().conditions()).extracting(Condition::type).containsExactly("Accepted", "Programmed", "Ready");
    assertThat(lb.status().addresses()).containsExactly(new Address("IPAddress", "203.0.113.7"));
    assertThat(lb.status().backends()).containsExactly(new BackendStatus("forum", 3, 3));
    assertThat(lb.status().readyReplicas()).isEqualTo(2);
  }

  @Test
  void readsRedirectsRewritesAndQueryParameterMatches() {
    String text = doc(Fixtures.HTTP_LISTENER + """
          routes:
          - name: moved
            paths: [{value: /old}]
            queryParams: [{name: animal, value: whale}]
            redirect: {scheme: https, host: shop.example.com, port: 8443, pathPrefix: /new, status: 301}
          - name: rewritten
            rewrite: {path: /index.html, host: static.internal}
            backends: [{name: web}]
        """);

    LoadResult result = ModelLoader.load("lb.yaml", text, STANDALONE);

    assertThat(result.diagnostics()).isEmpty();
    List<Route> routes = result.loadBalancers().get(0).spec().routes();
    assertThat(routes.get(0).queryParams()).containsExactly(new QueryParamMatch("animal", "whale"));
    assertThat(routes.get(0).redirect()).isEqualTo(new Redirect("https", "shop.example.com", 8443, null, "/new", 301));
    assertThat(routes.get(0).backends()).isNull();
    assertThat(routes.get(1).rewrite()).isEqualTo(new Rewrite(null, "/index.html", "static.internal"));
    assertThat(new Redirect(null, null, null, null, null, null).statusOrDefault()).isEqualTo(302);
  }

  @Test
  void readsTheSameDocumentFromJson() {
    LoadBalancer fromJson = loadOne("shop.json", Fixtures.SHOP_JSON, CLUSTER);
    assertThat(fromJson).isEqualTo(loadOne("shop.yaml", Fixtures.SHOP_YAML, CLUSTER));
    assertThat(ModelCodec.fromJson(Fixtures.SHOP_JSON)).isEqualTo(fromJson);
  }

  @Test
  void theApiReferenceExampleNeedsAClusterForItsServiceAndSecret() {
    assertThat(diagnostics(Fixtures.SHOP_YAML, STANDALONE)).containsExactly(
        "lb.yaml:23: spec.listeners[1].tls.certificates[0].secretName: secretName needs a cluster; use certFile and keyFile",
        "lb.yaml:64: spec.backends[0].service: service needs a cluster; use endpoints",
        "lb.yaml:77: spec.backends[1].service: service needs a cluster; use endpoints");
  }

  @Test
  void roundTripsThroughYamlAndJson() {
    LoadBalancer lb = loadOne("shop.yaml", Fixtures.SHOP_YAML, CLUSTER);

    String yaml = ModelCodec.toYaml(lb);
    assertThat(loadOne("out.yaml", yaml, CLUSTER)).isEqualTo(lb);
    assertThat(yaml).contains("port: \"8080\"").contains("minVersion: \"1.2\"").doesNotContain("null");
    String json = ModelCodec.toJson(lb);
    assertThat(ModelCodec.fromJson(json)).isEqualTo(lb);
    assertThat(loadOne("out.json", json, CLUSTER)).isEqualTo(lb);
  }

  @Test
  void readsAFixedResponseBackendAndWritesItBack() {
    String text = small("fixed", 8080).replace("defaultBackend: web}", "defaultBackend: down}")
        .replace("  backends:\n", "  backends:\n  - name: down\n    fixedResponse: {status: 500}\n");
    LoadBalancer lb = loadOne("fixed.yaml", text, STANDALONE);

    assertThat(lb.spec().backends().get(0)).isEqualTo(Backend.ofFixedResponse("down", 500));
    assertThat(lb.spec().backends().get(0).endpoints()).isNull();
    String yaml = ModelCodec.toYaml(lb);
    assertThat(yaml).contains("fixedResponse:").contains("status: 500");
    assertThat(loadOne("out.yaml", yaml, STANDALONE)).isEqualTo(lb);
    assertThat(ModelCodec.fromJson(ModelCodec.toJson(lb))).isEqualTo(lb);
  }

  @Test
  void readsSeveralDocumentsWithLinesCountedFromTheTopOfTheFile() {
    String text = "# two load balancers\n---\n" + small("one", 8080) + "---\n" + small("two", 8081).replaceFirst(
        "port: 80}", "port: 80, weight: -1}") + "---\n";

    LoadResult result = ModelLoader.load("lb.yaml", text, STANDALONE);

    assertThat(result.diagnostics()).map(Diagnostic::toString).containsExactly(
        "lb.yaml:25: spec.backends[0].endpoints[0].weight: expected a weight from 0 to 256, got -1");
    assertThat(result.loadBalancers()).extracting(LoadBalancer::id).containsExactly("one");
    assertThat(result.ok()).isFalse();
  }

  @Test
  void skipsEmptyDocuments() {
    String text = "---\n# nothing yet\n---\n" + small("one", 8080) + "---\n---\n";
    assertThat(loadOne("lb.yaml", text, STANDALONE).id()).isEqualTo("one");
    assertThat(ModelLoader.load("lb.yaml", "", STANDALONE).loadBalancers()).isEmpty();
    assertThat(ModelLoader.load("lb.yaml", "", STANDALONE).ok()).isTrue();
  }

  @Test
  void reportsEveryProblemOfADocumentAtOnce() {
    String text = doc("""
          listeners:
          - {name: http, port: 80, protocol: HTTP, prot: x}
          - {name: db, port: eighty, protocol: TCP, defaultBackend: web}
          routes:
          - name: r
            backends: [{name: forum}]
        """);

    assertThat(diagnostics(text, STANDALONE)).containsExactly(
        "lb.yaml:7: spec.listeners[0].prot: unknown field \"prot\", expected one of name, port, protocol, "
            + "redirectToHttps, tls, defaultBackend",
        "lb.yaml:8: spec.listeners[1].port: expected an integer, got \"eighty\"",
        "lb.yaml:11: spec.routes[0].backends[0].name: no backend named \"forum\"");
  }

  @Test
  void namesUnknownFieldsWithTheFieldsThereAre() {
    String text = doc("""
          listeners:
          - name: http
            port: 80
            protocol: HTTP
            listen: 0.0.0.0
          timeout: {connect: 1s}
        """);

    assertThat(diagnostics(text, STANDALONE)).containsExactly(
        "lb.yaml:10: spec.listeners[0].listen: unknown field \"listen\", expected one of name, port, protocol, "
            + "redirectToHttps, tls, defaultBackend",
        "lb.yaml:11: spec.timeout: unknown field \"timeout\", did you mean \"timeouts\"?");
  }

  @Test
  void reportsUnknownEnumValuesWithTheValuesThereAre() {
    String text = doc(Fixtures.HTTP_LISTENER + """
          routes:
          - name: r
            paths: [{type: prefix, value: /}]
            backends: [{name: web}]
        """).replace("name: api\n", "name: api\n    balance: Fastest\n");

    assertThat(diagnostics(text, STANDALONE)).containsExactly(
        "lb.yaml:10: spec.routes[0].paths[0].type: unknown value \"prefix\", expected one of Exact, Prefix, Regex",
        "lb.yaml:16: spec.backends[1].balance: unknown value \"Fastest\", expected one of RoundRobin, "
            + "LeastConnections, Random, SourceHash");
  }

  @Test
  void aBinaryValueIsReportedInOurWordsNotJacksons() {
    // found by ModelLoaderFuzzTest: the message named a Java class and a Jackson token
    assertThat(diagnostics("!!binary aGk=\n", STANDALONE)).containsExactly("lb.yaml:1: expected an object, got binary data");
    assertThat(diagnostics(doc("""
          listeners: !!binary aGk=
        """), STANDALONE)).contains("lb.yaml:6: spec.listeners: expected a list, got aGk=");
  }

  @Test
  void acceptsQuotedIntegersButNoOtherText() {
    String text = doc("""
          listeners:
          - {name: a, port: "8080", protocol: HTTP}
          - {name: b, port: 80.5, protocol: HTTP}
          - {name: c, port: true, protocol: HTTP}
          - {name: d, port: 99999999999, protocol: HTTP}
          - {name: e, port: [80], protocol: HTTP}
          - {name: f, port: "", protocol: HTTP}
        """);

    LoadResult result = ModelLoader.load("lb.yaml", text, STANDALONE);

    assertThat(result.diagnostics()).map(Diagnostic::toString).containsExactly(
        "lb.yaml:8: spec.listeners[1].port: expected an integer, got 80.5",
        "lb.yaml:9: spec.listeners[2].port: expected an integer, got true",
        "lb.yaml:10: spec.listeners[3].port: expected a 32-bit integer, got 99999999999",
        "lb.yaml:11: spec.listeners[4].port: expected an integer, got a list",
        "lb.yaml:12: spec.listeners[5].port: expected an integer, got \"\"");
  }

  @Test
  void readsUnquotedScalarsIntoStringFields() {
    String text = doc("""
          listeners:
          - {name: http, port: 80, protocol: HTTP, defaultBackend: web}
          routes:
          - name: r
            headers: [{name: X-Version, value: 2}]
            backends: [{name: web}]
        """);

    Route route = loadOne("lb.yaml", text, STANDALONE).spec().routes().get(0);

    assertThat(route.headers()).containsExactly(new HeaderMatch("X-Version", "2"));
  }

  @Test
  void reportsWrongShapes() {
    String text = doc("""
          listeners: http
          routes: {name: r}
          timeouts: [5s]
        """);

    assertThat(diagnostics(text, STANDALONE)).containsExactly(
        "lb.yaml:6: spec.listeners: expected a list, got \"http\"",
        "lb.yaml:7: spec.routes: expected a list, got an object",
        "lb.yaml:8: spec.timeouts: expected an object, got a list");
  }

  @Test
  void reportsKeysWrittenTwice() {
    String text = doc("""
          listeners:
          - name: http
            port: 80
            protocol: HTTP
            port: 81
        """);

    assertThat(diagnostics(text, STANDALONE)).containsExactly(
        "lb.yaml:10: spec.listeners[0].port: duplicate field \"port\", also on line 8");
  }

  @Test
  void reportsYamlSyntaxErrorsOnTheirLine() {
    assertThat(diagnostics(doc("  listeners: [{name: http, port: 80\n  routes: []\n"), STANDALONE)).containsExactly(
        "lb.yaml:7: invalid YAML: expected ',' or '}', but got : (while parsing a flow mapping started on line 6)");
    assertThat(diagnostics(Fixtures.HEADER + "\tlisteners: []\n", STANDALONE)).containsExactly(
        "lb.yaml:6: invalid YAML: found character '\\t(TAB)' that cannot start any token. "
            + "(Do not use \\t(TAB) for indentation)");
  }

  @Test
  void keepsTheDocumentsBeforeASyntaxError() {
    String text = small("one", 8080) + "---\nmetadata:\n  name: [two\n";

    LoadResult result = ModelLoader.load("lb.yaml", text, STANDALONE);

    assertThat(result.diagnostics()).map(Diagnostic::toString)
        .containsExactly("lb.yaml:16: invalid YAML: expected ',' or ']', but got <stream end>"
            + " (while parsing a flow sequence started on line 15)");
    assertThat(result.loadBalancers()).extracting(LoadBalancer::id).containsExactly("one");
  }

  @Test
  void reportsJsonSyntaxErrorsOnTheirLine() {
    String json = "{\n  \"apiVersion\": \"gantry.dev/v1alpha1\",\n  \"kind\": \"LoadBalancer\",\n}\n";
    assertThat(diagnostics(json, STANDALONE)).containsExactly(
        "lb.yaml:4: invalid JSON: Unexpected character ('}' (code 125)): was expecting double-quote to start field name");
  }

  @Test
  void reportsJsonBindingProblemsOnTheirLine() {
    String json = Fixtures.SHOP_JSON.replace("\"port\": 5432, \"protocol\": \"TCP\"", "\"port\": 5432, \"protocol\": \"UDP\"");
    assertThat(diagnostics(json, CLUSTER)).containsExactly(
        "lb.yaml:12: spec.listeners[2].protocol: unknown value \"UDP\", expected one of HTTP, HTTPS, TCP, TLS");
  }

  @Test
  void checksApiVersionAndKind() {
    assertThat(diagnostics(small("a", 80).replace("gantry.dev/v1alpha1", "gantry.dev/v1"), STANDALONE))
        .containsExactly("lb.yaml:1: apiVersion: expected gantry.dev/v1alpha1, got \"gantry.dev/v1\"");
    assertThat(diagnostics(small("a", 80).replace("kind: LoadBalancer\n", ""), STANDALONE))
        .containsExactly("lb.yaml:1: kind: required, expected LoadBalancer");
    // another kind's fields are not judged, only its kind
    assertThat(diagnostics("apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: []}\n", STANDALONE))
        .containsExactly("lb.yaml:1: apiVersion: expected gantry.dev/v1alpha1, got \"v1\"",
            "lb.yaml:2: kind: expected LoadBalancer, got \"Service\"");
    assertThat(diagnostics("apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\n" + small("a", 80), STANDALONE))
        .as("a Service named like a load balancer does not clash with it")
        .containsExactly("lb.yaml:1: apiVersion: expected gantry.dev/v1alpha1, got \"v1\"",
            "lb.yaml:2: kind: expected LoadBalancer, got \"Service\"");
  }

  @Test
  void reportsADocumentThatIsNotAnObject() {
    assertThat(diagnostics("- a\n- b\n", STANDALONE)).containsExactly("lb.yaml:1: expected an object, got a list");
    assertThat(diagnostics("---\nhello\n", STANDALONE)).containsExactly("lb.yaml:2: expected an object, got \"hello\"");
  }

  @Test
  void acceptsWhatTheApiServerAddsToMetadata() {
    String text = small("a", 80).replace("  name: a\n", """
          name: a
          uid: 0b6e7c2a-1d0e-4d1c-9a55-5f0e1a3c0b11
          resourceVersion: "4711"
          creationTimestamp: "2025-01-01T00:00:00Z"
          generation: 4
          labels: {app.kubernetes.io/name: shop}
          managedFields: [{manager: kubectl}]
        """);

    LoadBalancer lb = loadOne("lb.yaml", text, STANDALONE);

    assertThat(lb.metadata()).isEqualTo(new Metadata("a", null, 4L, Map.of("app.kubernetes.io/name", "shop"), null));
  }

  @Test
  void doesNotRepeatABindingProblemAsAMissingValue() {
    String text = doc("  listeners:\n  - {name: http, port: 80, protocol: http}\n");
    assertThat(diagnostics(text, STANDALONE)).containsExactly(
        "lb.yaml:7: spec.listeners[0].protocol: unknown value \"http\", expected one of HTTP, HTTPS, TCP, TLS");
  }

  @Test
  void reportsTheSameIdTwiceOnTheLaterDocument() {
    String text = small("one", 8080) + "---\n" + small("one", 8081);
    assertThat(diagnostics(text, STANDALONE)).containsExactly("lb.yaml:17: metadata.name: duplicate load balancer \"one\"");
    assertThat(diagnostics(text.replace("name: one", "name: one\n  namespace: web").replaceFirst("namespace: web", "namespace: dev"),
        CLUSTER)).isEmpty();
  }

  @Test
  void reportsAPortSharedByTwoLoadBalancersStandaloneOnly() {
    String text = small("one", 8080) + "---\n" + small("two", 8080);

    assertThat(diagnostics(text, STANDALONE)).containsExactly(
        "lb.yaml:20: spec.listeners[0].port: port 8080 is already used by load balancer \"one\"");
    assertThat(ModelLoader.load("lb.yaml", text, STANDALONE).loadBalancers()).extracting(LoadBalancer::id)
        .containsExactly("one");
    // each load balancer has its own proxy fleet in a cluster
    assertThat(diagnostics(text, CLUSTER)).isEmpty();
  }

  @Test
  void loadsAFileNamedAsGiven(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("lb.yaml");
    Files.writeString(file, "\uFEFF" + small("a", 80).replace("port: 80, protocol", "port: 0, protocol"));

    LoadResult result = ModelLoader.load(file, STANDALONE);

    assertThat(result.diagnostics()).map(Diagnostic::toString).containsExactly(
        file + ":7: spec.listeners[0].port: expected a port from 1 to 65535, got 0");
  }
}
