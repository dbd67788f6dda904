package dev.gantry.model;

import static dev.gantry.model.ValidationMode.CLUSTER;
import static dev.gantry.model.ValidationMode.STANDALONE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The validator on records built in code, as the operator and the proxy call it. */
class LoadBalancerValidatorTest {

  private static final List<Backend> WEB = List.of(Backend.ofEndpoints("web", List.of(Endpoint.of("10.0.0.1", 80))));

  private static LoadBalancer lb(String name, List<Listener> listeners, List<Route> routes, List<Backend> backends) {
    return new LoadBalancer(LoadBalancer.API_VERSION, LoadBalancer.KIND, Metadata.named(name),
        new LoadBalancerSpec(null, listeners, routes, backends, null, null), null);
  }

  private static Listener http(String name, int port) {
    return new Listener(name, port, Protocol.HTTP, null, null, null);
  }

  private static Route route(List<RouteBackend> backends) {
    return new Route("r", null, null, null, null, null, backends, null, null, null, null, null);
  }

  @Test
  void acceptsAMinimalLoadBalancer() {
    assertThat(LoadBalancerValidator.validate(lb("a", List.of(http("http", 80)), null, WEB), STANDALONE)).isEmpty();
    assertThat(LoadBalancerValidator.validate(lb("a", List.of(http("http", 80)), null, WEB), CLUSTER)).isEmpty();
  }

  @Test
  void aResolvedModelMayHaveABackendWithoutEndpointsButNoClusterReference() {
    List<Backend> empty = List.of(Backend.ofEndpoints("web", List.of()));
    assertThat(LoadBalancerValidator.validate(lb("a", List.of(http("http", 80)), null, empty), ValidationMode.RESOLVED))
        .isEmpty();
    assertThat(LoadBalancerValidator.validate(lb("a", List.of(http("http", 80)), null, empty), STANDALONE))
        .containsExactly(new Problem("spec.backends[0].endpoints", "at least one endpoint is required"));

    List<Backend> service = List.of(Backend.ofService("web", new ServiceRef("web", "80")));
    assertThat(LoadBalancerValidator.validate(lb("a", List.of(http("http", 80)), null, service), ValidationMode.RESOLVED))
        .containsExactly(new Problem("spec.backends[0].service", "service needs a cluster; use endpoints"));
    Listener https = new Listener("https", 443, Protocol.HTTPS, null,
        new ListenerTls(List.of(new CertificateRef("tls", null, null)), null, null), null);
    assertThat(LoadBalancerValidator.validate(lb("a", List.of(https), null, WEB), ValidationMode.RESOLVED))
        .containsExactly(new Problem("spec.listeners[0].tls.certificates[0].secretName",
            "secretName needs a cluster; use certFile and keyFile"));
  }

  @Test
  void reportsEveryMissingPartOfAnEmptyDocument() {
    assertThat(LoadBalancerValidator.validate(new LoadBalancer(null, null, null, null, null), STANDALONE))
        .containsExactly(new Problem("metadata", "required"), new Problem("spec", "required"));

    LoadBalancer empty = new LoadBalancer(null, null, Metadata.named("a"),
        new LoadBalancerSpec(null, null, null, null, null, null), null);
    assertThat(LoadBalancerValidator.validate(empty, STANDALONE)).containsExactly(
        new Problem("spec.listeners", "at least one listener is required"));
  }

  @Test
  void reportsEmptyEntriesWithoutFailing() {
    List<Listener> listeners = new ArrayList<>(Collections.nCopies(1, (Listener) null));
    Route route = new Route(null, Arrays.asList((String) null), Arrays.asList((String) null),
        Arrays.asList((PathMatch) null), Arrays.asList((HeaderMatch) null), Arrays.asList((QueryParamMatch) null),
        Arrays.asList((String) null), Arrays.asList((RouteBackend) null), new Rewrite(null), null,
        new HeaderModifier(null, Arrays.asList((String) null)), null, null, null);
    List<Backend> backends = Arrays.asList(null, new Backend("b", null, Arrays.asList((Endpoint) null), null,
        new HealthCheck(null, null, null, null, null, null), null, null, null, null));

    List<Problem> problems = LoadBalancerValidator.validate(lb("a", listeners, List.of(route), backends), STANDALONE);

    assertThat(problems).map(Problem::toString).containsExactly(
        "spec.listeners[0]: expected a listener, got an empty entry",
        "spec.routes[0].name: required",
        "spec.routes[0].listeners[0]: expected a listener name, got an empty entry",
        "spec.routes[0].hosts[0]: expected a host name, got an empty entry",
        "spec.routes[0].paths[0]: expected a path, got an empty entry",
        "spec.routes[0].methods[0]: expected one of GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH, got null",
        "spec.routes[0].headers[0]: expected a header match, got an empty entry",
        "spec.routes[0].queryParams[0]: expected a query parameter match, got an empty entry",
        "spec.routes[0].backends[0]: expected a backend, got an empty entry",
        "spec.routes[0].rewrite: expected at least one of pathPrefix, path and host",
        "spec.routes[0].requestHeaders.remove[0]: expected a header name, got an empty entry",
        "spec.backends[0]: expected a backend, got an empty entry",
        "spec.backends[1].endpoints[0]: expected an endpoint, got an empty entry",
        "spec.backends[1].healthCheck.protocol: required, one of TCP, HTTP");
  }

  @Test
  void limitsListSizes() {
    List<Listener> listeners = IntStream.rangeClosed(1, 65).mapToObj(i -> http("l" + i, 1000 + i)).toList();
    List<RouteBackend> routeBackends = IntStream.rangeClosed(1, 17).mapToObj(i -> RouteBackend.of("b" + i)).toList();
    List<Backend> backends = IntStream.rangeClosed(1, 257)
        .mapToObj(i -> Backend.ofEndpoints("b" + i, List.of(Endpoint.of("10.0.0.1", 80)))).toList();
    List<Endpoint> endpoints = IntStream.rangeClosed(1, 1025).mapToObj(i -> Endpoint.of("10.0.0.1", i)).toList();
    List<Backend> withEndpoints = new ArrayList<>(backends);
    withEndpoints.set(0, Backend.ofEndpoints("b1", endpoints));

    List<Problem> problems = LoadBalancerValidator.validate(
        lb("a", listeners, List.of(route(routeBackends)), withEndpoints), STANDALONE);

    assertThat(problems).containsExactly(
        new Problem("spec.listeners", "at most 64 listeners, got 65"),
        new Problem("spec.routes[0].backends", "at most 16 backends, got 17"),
        new Problem("spec.backends", "at most 256 backends, got 257"),
        new Problem("spec.backends[0].endpoints", "at most 1024 endpoints, got 1025"));
  }

  @Test
  void checksLoadBalancersTogether() {
    List<LoadBalancer> lbs = Arrays.asList(
        lb("a", List.of(http("http", 80), http("admin", 9000)), null, WEB),
        null,
        lb("b", List.of(http("http", 81), http("admin", 9000)), null, WEB),
        lb("a", List.of(http("http", 80)), null, WEB));

    assertThat(LoadBalancerValidator.validateTogether(lbs, STANDALONE)).containsExactly(
        new LoadBalancerValidator.DocumentProblem(2,
            new Problem("spec.listeners[1].port", "port 9000 is already used by load balancer \"a\"")),
        new LoadBalancerValidator.DocumentProblem(3, new Problem("metadata.name", "duplicate load balancer \"a\"")),
        new LoadBalancerValidator.DocumentProblem(3,
            new Problem("spec.listeners[0].port", "port 80 is already used by load balancer \"a\"")));
    assertThat(LoadBalancerValidator.validateTogether(lbs, CLUSTER)).containsExactly(
        new LoadBalancerValidator.DocumentProblem(3, new Problem("metadata.name", "duplicate load balancer \"a\"")));
  }

  @Test
  void namespacesKeepNamesApart() {
    LoadBalancer web = new LoadBalancer(null, null, Metadata.named("web", "shop"), null, null);
    LoadBalancer dev = new LoadBalancer(null, null, Metadata.named("dev", "shop"), null, null);
    assertThat(LoadBalancerValidator.validateTogether(List.of(web, dev), CLUSTER)).isEmpty();
    assertThat(LoadBalancerValidator.validateTogether(List.of(web, web), CLUSTER)).containsExactly(
        new LoadBalancerValidator.DocumentProblem(1, new Problem("metadata.name", "duplicate load balancer \"web/shop\"")));
  }

  @Test
  void quotesValuesSoThatAMessageStaysOnOneLine() {
    assertThat(Problems.quote("a\r\nb\"c\\")).isEqualTo("\"a\\r\\nb\\\"c\\\\\"");
    assertThat(Problems.quote("\u0000")).isEqualTo("\"\\u0000\"");
    assertThat(Problems.quote("x".repeat(100))).isEqualTo("\"" + "x".repeat(80) + "...\"");
  }

  @Test
  void printsProblemsAndDiagnosticsLikeACompiler() {
    assertThat(new Problem("spec.listeners[1].port", "required")).hasToString("spec.listeners[1].port: required");
    assertThat(new Diagnostic("lb.yaml", 14, "spec.routes[2].backends[0].name", "no backend named \"forum\""))
        .hasToString("lb.yaml:14: spec.routes[2].backends[0].name: no backend named \"forum\"");
    assertThat(new Diagnostic("lb.yaml", 3, "", "invalid YAML: x")).hasToString("lb.yaml:3: invalid YAML: x");
  }
}
