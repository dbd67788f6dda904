package dev.gantry.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Backend;
import dev.gantry.model.BackendProtocol;
import dev.gantry.model.LoadBalancer;
import dev.gantry.model.Metadata;
import dev.gantry.operator.gateway.api.HttpRouteResource;
import dev.gantry.operator.translate.ClusterRefs;
import dev.gantry.operator.translate.ModelResolver;
import dev.gantry.operator.translate.ModelResolverTest;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Service port an HTTPRoute's backendRef names says how the proxy speaks to the backend: {@code kubernetes.io/h2c}
 * is HTTP/2 in cleartext, {@code kubernetes.io/ws} HTTP/1.1 (whose upgrades the proxy tunnels), none HTTP/1.1. The
 * Service is the one the conformance suite's backends use: three ports, two target ports.
 */
class GatewayBackendProtocolsTest {

  static final Service ECHO = new ServiceBuilder().withNewMetadata().withName("echo").endMetadata().withNewSpec()
      .addNewPort().withName("first-port").withPort(8080).withNewTargetPort(3000).withProtocol("TCP").endPort()
      .addNewPort().withName("second-port").withPort(8081).withNewTargetPort(3001).withProtocol("TCP")
      .withAppProtocol("kubernetes.io/h2c").endPort()
      .addNewPort().withName("third-port").withPort(8082).withNewTargetPort(3000).withProtocol("TCP")
      .withAppProtocol("kubernetes.io/ws").endPort()
      .endSpec().build();

  @Test
  void theServicePortsAppProtocolChoosesTheBackendProtocolAndItsTargetPort() {
    Map<Integer, Backend> byPort = resolved("infra");

    assertThat(byPort.get(8080).protocol()).isEqualTo(BackendProtocol.HTTP1);
    assertThat(byPort.get(8081).protocol()).isEqualTo(BackendProtocol.H2C);
    assertThat(byPort.get(8082).protocol()).isEqualTo(BackendProtocol.HTTP1);
    assertThat(byPort.get(8081).endpointsOrEmpty()).extracting(e -> e.address() + ":" + e.port())
        .containsExactly("10.0.0.9:3001");
    assertThat(byPort.get(8082).endpointsOrEmpty()).extracting(e -> e.address() + ":" + e.port())
        .containsExactly("10.0.0.9:3000");
  }

  /** One HTTPRoute per port of the Service, all in the Gateway's namespace, resolved as the operator serves them. */
  private static Map<Integer, Backend> resolved(String ns) {
    List<HttpRouteResource> routes = List.of(8080, 8081, 8082).stream().map(port -> Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: r%d, namespace: %s, generation: 1, uid: r%d}
        spec:
          parentRefs: [{name: gw}]
          rules: [{backendRefs: [{name: echo, port: %d}]}]
        """.formatted(port, ns, port, port), HttpRouteResource.class)).toList();
    ClusterRefs refs = new ClusterRefs(Map.of("echo", ECHO), Map.of("echo", List.of(
        ModelResolverTest.slice("echo", "first-port", 3000, "10.0.0.9"),
        ModelResolverTest.slice("echo", "second-port", 3001, "10.0.0.9"),
        ModelResolverTest.slice("echo", "third-port", 3000, "10.0.0.9"))), Map.of());
    GatewayPlan plan = GatewayTranslator.translate(new GatewayInputs(
        GatewayTranslatorTest.gateway(GatewayTranslatorTest.GATEWAY), routes, Map.of(), List.of(),
        n -> n.equals(ns) ? refs : ClusterRefs.NONE));
    LoadBalancer lb = new LoadBalancer(LoadBalancer.API_VERSION, LoadBalancer.KIND,
        new Metadata("gw-gw", ns, 1L, null, null), plan.spec(), null);
    LoadBalancer model = ModelResolver.resolve(lb, refs).model();
    return Map.of(
        8080, backend(model, "svc-echo-8080"),
        8081, backend(model, "svc-echo-8081"),
        8082, backend(model, "svc-echo-8082"));
  }

  private static Backend backend(LoadBalancer model, String name) {
    return model.spec().backendsOrEmpty().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
  }
}
