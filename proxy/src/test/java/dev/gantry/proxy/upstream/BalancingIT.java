package dev.gantry.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.TestBackend;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each balancing algorithm over real backends: 10,000 requests, weights 3:1:1. */
class BalancingIT {

  static final String[] BALANCES = {"RoundRobin", "LeastConnections", "Random", "SourceHash"};
  static TestBackend a;
  static TestBackend b;
  static TestBackend c;
  static ProxyFixture proxy;
  static final Map<String, Integer> ports = new HashMap<>();

  @BeforeAll
  static void start() {
    a = TestBackend.start("a");
    b = TestBackend.start("b");
    c = TestBackend.start("c");
    StringBuilder listeners = new StringBuilder();
    StringBuilder backends = new StringBuilder();
    for (String balance : BALANCES) {
      int port = Ports.free();
      ports.put(balance, port);
      String name = balance.toLowerCase();
      listeners.append("    - {name: ").append(name).append(", port: ").append(port)
          .append(", protocol: HTTP, defaultBackend: ").append(name).append("}\n");
      backends.append("    - name: ").append(name).append("\n      balance: ").append(balance)
          .append("\n      endpoints:\n")
          .append("      - {address: 127.0.0.1, port: ").append(a.port()).append(", weight: 3}\n")
          .append("      - {address: 127.0.0.1, port: ").append(b.port()).append(", weight: 1}\n")
          .append("      - {address: 127.0.0.1, port: ").append(c.port()).append(", weight: 1}\n");
    }
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: balancing}
        spec:
          listeners:
        %s  backends:
        %s""".formatted(listeners, backends));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    a.close();
    b.close();
    c.close();
  }

  /** Sends {@code total} requests over {@code clients} keep-alive connections, each from its own address. */
  static Map<String, Integer> load(int port, int total, int clients, boolean distinctAddresses) throws Exception {
    Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int t = 0; t < clients; t++) {
      int id = t;
      Thread thread = new Thread(() -> {
        String local = distinctAddresses ? "127.1." + (id / 250) + "." + (1 + id % 250) : null;
        try (RawHttp conn = new RawHttp(port, local)) {
          for (int i = 0; i < total / clients; i++) {
            String body = conn.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().body();
            counts.computeIfAbsent(body, k -> new AtomicInteger()).incrementAndGet();
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(errors).isEmpty();
    Map<String, Integer> out = new HashMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /**
   * Round robin follows the weights under any load. Least connections and random (two choices) follow them
   * while endpoints are idle (ties go by weight), so they are measured one request at a time: under load
   * they deliberately follow how busy each endpoint is instead (see the test below).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"RoundRobin", "LeastConnections", "Random"})
  void tenThousandRequestsFollowTheWeights(String balance) throws Exception {
    int clients = balance.equals("RoundRobin") ? 8 : 1;
    Map<String, Integer> d = load(ports.get(balance), 10_000, clients, false);
    System.out.println(balance + ": " + d);
    assertThat(d.get("a")).isBetween(5700, 6300);
    assertThat(d.get("b")).isBetween(1700, 2300);
    assertThat(d.get("c")).isBetween(1700, 2300);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"LeastConnections", "Random"})
  void loadAwareBalancingSendsLessToASlowEndpoint(String balance) throws Exception {
    int port = Ports.free();
    try (TestBackend slow = TestBackend.start("slow").respondWith(req -> {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return TestBackend.text(io.netty.handler.codec.http.HttpResponseStatus.OK, "slow");
    });
        ProxyFixture p = ProxyFixture.start().apply("""
            apiVersion: gantry.dev/v1alpha1
            kind: LoadBalancer
            metadata: {name: slow}
            spec:
              listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: web}]
              backends:
              - name: web
                balance: %s
                endpoints: [{address: 127.0.0.1, port: %d}, {address: 127.0.0.1, port: %d}]
            """.formatted(port, balance, a.port(), slow.port()))) {
      Map<String, Integer> d = load(port, 2000, 8, false);
      System.out.println(balance + " with a slow endpoint: " + d);
      // Round robin would send it half; these keep it at about its share of requests in flight.
      assertThat(d.getOrDefault("slow", 0)).isLessThan(500);
    }
  }

  @Test
  void sourceHashSpreadsClientsByWeightAndKeepsEachOnOneEndpoint() throws Exception {
    // 2,000 clients with addresses of their own, 5 requests each.
    Map<String, Integer> d = load(ports.get("SourceHash"), 10_000, 2000, true);
    System.out.println("SourceHash: " + d);
    assertThat(d.get("a")).isBetween(5500, 6500);
    assertThat(d.get("b")).isBetween(1500, 2500);
    assertThat(d.get("c")).isBetween(1500, 2500);
    // Each client stayed with one endpoint: every count is a multiple of 5.
    assertThat(d.values()).allSatisfy(n -> assertThat(n % 5).isZero());
  }

  @Test
  void weightZeroDrainsAnEndpoint() throws Exception {
    int port = Ports.free();
    try (ProxyFixture p = ProxyFixture.start().apply(drainConfig(port, 1))) {
      Map<String, Integer> before = load(port, 400, 4, false);
      assertThat(before.get("c")).isGreaterThan(100);
      p.apply(drainConfig(port, 0));
      Map<String, Integer> after = load(port, 400, 4, false);
      assertThat(after).doesNotContainKey("c");
      assertThat(after.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(400);
    }
  }

  static String drainConfig(int port, int weightOfC) {
    return """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: drain}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: web}]
          backends:
          - name: web
            endpoints:
            - {address: 127.0.0.1, port: %d}
            - {address: 127.0.0.1, port: %d}
            - {address: 127.0.0.1, port: %d, weight: %d}
        """.formatted(port, a.port(), b.port(), c.port(), weightOfC);
  }

  @Test
  void addingAnEndpointToASourceHashBackendMovesAboutAQuarterOfTheClients() throws Exception {
    int port = Ports.free();
    try (TestBackend d = TestBackend.start("d");
        ProxyFixture p = ProxyFixture.start().apply(hashConfig(port, ""))) {
      Map<String, String> before = homes(port, 1000);
      p.apply(hashConfig(port, "- {address: 127.0.0.1, port: " + d.port() + "}"));
      Map<String, String> after = homes(port, 1000);
      long moved = before.keySet().stream().filter(k -> !before.get(k).equals(after.get(k))).count();
      System.out.println("SourceHash remapping, 3 -> 4 endpoints: " + moved + " of 1000 clients moved");
      assertThat(moved).isBetween(180L, 320L);
      // Maglev is near-minimal, not minimal: almost every moved client went to the new endpoint.
      long toNew = before.keySet().stream().filter(k -> !before.get(k).equals(after.get(k)))
          .filter(k -> after.get(k).equals("d")).count();
      assertThat(toNew).isGreaterThanOrEqualTo(moved * 9 / 10);
    }
  }

  static String hashConfig(int port, String extra) {
    return """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: hash}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: web}]
          backends:
          - name: web
            balance: SourceHash
            endpoints:
            - {address: 127.0.0.1, port: %d}
            - {address: 127.0.0.1, port: %d}
            - {address: 127.0.0.1, port: %d}
            %s
        """.formatted(port, a.port(), b.port(), c.port(), extra);
  }

  /** Which backend answers each of {@code clients} distinct client addresses. */
  static Map<String, String> homes(int port, int clients) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < clients; i++) {
      String local = "127.2." + (i / 250) + "." + (1 + i % 250);
      try (RawHttp conn = new RawHttp(port, local)) {
        out.put(local, conn.send("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").read().body());
      }
    }
    return out;
  }
}
