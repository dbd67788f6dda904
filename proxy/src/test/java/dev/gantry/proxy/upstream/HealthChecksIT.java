package dev.gantry.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.TestBackend;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Active health checks against real backends whose health the test switches on and off. */
class HealthChecksIT {

  final AtomicBoolean flappingHealthy = new AtomicBoolean(true);
  /** Checks the flapping backend fails next, even while healthy. */
  final AtomicInteger failedChecksToGive = new AtomicInteger();
  TestBackend steady;
  TestBackend flapping;
  ProxyFixture proxy;
  int port;

  @BeforeEach
  void start() {
    steady = TestBackend.start("steady");
    flapping = TestBackend.start("flapping").respondWith(req -> req.uri().equals("/healthz")
        ? TestBackend.text(flappingHealthy.get() && failedChecksToGive.getAndDecrement() <= 0
            ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, "")
        : TestBackend.text(HttpResponseStatus.OK, "flapping"));
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: checked}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: web}]
          backends:
          - name: web
            endpoints: [%s, %s]
            healthCheck: {protocol: HTTP, path: /healthz, interval: 100ms, timeout: 80ms,
                          healthyThreshold: 2, unhealthyThreshold: 2}
        """.formatted(port, steady.endpoint(), flapping.endpoint()));
  }

  @AfterEach
  void stop() {
    proxy.close();
    steady.close();
    flapping.close();
  }

  JsonNode endpoint(String label) throws Exception {
    JsonNode page = new ObjectMapper().readTree(proxy.admin("/backends"));
    for (JsonNode e : page.get("backends").get(0).get("endpoints")) {
      if (e.get("endpoint").asText().equals(label)) {
        return e;
      }
    }
    throw new AssertionError(label + " not on the page: " + page);
  }

  String flappingLabel() {
    return "127.0.0.1:" + flapping.port();
  }

  @Test
  void anEndpointFollowsItsChecksThroughRiseAndFall() throws Exception {
    await().atMost(Duration.ofSeconds(3)).until(() -> endpoint(flappingLabel()).get("health").asText().equals("HEALTHY"));
    assertThat(proxy.admin("/backends")).contains("\"healthCheck\" : \"HTTP /healthz every 100ms\"");

    List<String> transitions = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      flappingHealthy.set(false);
      await().atMost(Duration.ofSeconds(3)).until(() -> endpoint(flappingLabel()).get("health").asText().equals("UNHEALTHY"));
      transitions.add("UNHEALTHY");
      // No traffic goes to it while it is down.
      for (int i = 0; i < 20; i++) {
        assertThat(proxy.get(port, "/").body()).isEqualTo("steady");
      }
      assertThat(proxy.admin("/metrics")).contains(
          "gantry_backend_endpoint_up{lb=\"checked\",backend=\"web\",endpoint=\"" + flappingLabel() + "\"} 0");
      flappingHealthy.set(true);
      await().atMost(Duration.ofSeconds(3)).until(() -> endpoint(flappingLabel()).get("health").asText().equals("HEALTHY"));
      transitions.add("HEALTHY");
    }
    assertThat(transitions).containsExactly("UNHEALTHY", "HEALTHY", "UNHEALTHY", "HEALTHY", "UNHEALTHY", "HEALTHY");
    // Back in rotation.
    await().atMost(Duration.ofSeconds(2)).until(() -> proxy.get(port, "/").body().equals("flapping"));
  }

  @Test
  void oneFailedCheckIsNotEnoughToTakeAnEndpointOut() throws Exception {
    await().atMost(Duration.ofSeconds(3)).until(() -> endpoint(flappingLabel()).get("health").asText().equals("HEALTHY"));
    failedChecksToGive.set(1);
    await().atMost(Duration.ofSeconds(3)).until(() -> failedChecksToGive.get() <= 0);
    // Taken out, it would need two passed checks (200 ms) to come back: watch it through that time.
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
    while (System.nanoTime() < until) {
      assertThat(endpoint(flappingLabel()).get("health").asText()).isEqualTo("HEALTHY");
      Thread.sleep(10);
    }
  }

  @Test
  void firstChecksAreSpreadOverTheIntervalNotFiredAtOnce() throws Exception {
    List<Long> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<TestBackend> many = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      many.add(TestBackend.start("m" + i).respondWith(req -> {
        arrivals.add(System.nanoTime());
        return TestBackend.text(HttpResponseStatus.OK, "");
      }));
    }
    try {
      int other = Ports.free();
      proxy.apply("""
          apiVersion: gantry.dev/v1alpha1
          kind: LoadBalancer
          metadata: {name: spread}
          spec:
            listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: web}]
            backends:
            - name: web
              endpoints: [%s]
              healthCheck: {protocol: HTTP, path: /healthz, interval: 2s}
          """.formatted(other, String.join(", ", many.stream().map(TestBackend::endpoint).toList())));
      await().atMost(Duration.ofSeconds(5)).until(() -> arrivals.size() >= 8);
      List<Long> first = new ArrayList<>(arrivals.subList(0, 8));
      first.sort(Long::compare);
      long spreadMillis = (first.get(7) - first.get(0)) / 1_000_000;
      System.out.println("first checks of 8 endpoints spread over " + spreadMillis + " ms");
      // Fired together they would land within a few milliseconds of each other.
      assertThat(spreadMillis).isGreaterThan(300);
    } finally {
      many.forEach(TestBackend::close);
    }
  }

  @Test
  void aBackendWithNoHealthyEndpointAnswers503() throws Exception {
    int other = Ports.free();
    int closed = Ports.free();
    proxy.apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: checked}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: web}]
          backends:
          - name: web
            endpoints: [{address: 127.0.0.1, port: %d}]
            healthCheck: {protocol: TCP, interval: 100ms, unhealthyThreshold: 2}
        """.formatted(other, closed));
    await().atMost(Duration.ofSeconds(3)).until(() -> proxy.admin("/backends").contains("\"UNHEALTHY\""));
    assertThat(proxy.get(other, "/").statusCode()).isEqualTo(503);
  }
}
