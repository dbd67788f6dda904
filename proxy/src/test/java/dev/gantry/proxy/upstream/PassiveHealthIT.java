package dev.gantry.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.TestBackend;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Outlier detection: failing endpoints leave the rotation, never all of them, and come back. */
class PassiveHealthIT {

  static String config(int port, String endpoints, String healthCheck) {
    return """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: passive}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP}]
          routes: [{name: all, backends: [{name: web}], retries: 0}]
          backends:
          - name: web
            endpoints: [%s]
            %s
        """.formatted(port, endpoints, healthCheck);
  }

  static int get(int port) {
    try (RawHttp c = new RawHttp(port)) {
      return c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().status();
    }
  }

  @Test
  void fiveErrorsInARowEjectAnEndpointAndAPassingCheckBringsItBack() {
    AtomicBoolean broken = new AtomicBoolean(true);
    int port = Ports.free();
    try (TestBackend good = TestBackend.start("good");
        TestBackend flaky = TestBackend.start("flaky").respondWith(req -> TestBackend.text(
            broken.get() ? HttpResponseStatus.INTERNAL_SERVER_ERROR : HttpResponseStatus.OK,
            req.uri().equals("/healthz") ? "" : "flaky"));
        ProxyFixture p = ProxyFixture.start().apply(config(port, good.endpoint() + ", " + flaky.endpoint(),
            "healthCheck: {protocol: HTTP, path: /healthz, interval: 200ms, healthyThreshold: 1,"
                + " unhealthyThreshold: 50}"))) {
      int errors = 0;
      for (int i = 0; i < 40; i++) {
        if (get(port) == 500) {
          errors++;
        }
      }
      // Five 500s, then the flaky endpoint is out: every later request went to the good one.
      assertThat(errors).isEqualTo(5);
      String label = "127.0.0.1:" + flaky.port();
      assertThat(p.admin("/backends")).contains("\"ejected\" : true");
      assertThat(p.admin("/metrics"))
          .contains("gantry_backend_endpoint_ejections_total{lb=\"passive\",backend=\"web\",endpoint=\"" + label + "\"} 1")
          .contains("gantry_backend_endpoint_up{lb=\"passive\",backend=\"web\",endpoint=\"" + label + "\"} 0");
      // Fixed: the next passing health check ends the ejection well before its 10 s are up.
      broken.set(false);
      await().atMost(Duration.ofSeconds(3)).until(() -> !p.admin("/backends").contains("\"ejected\" : true"));
      await().atMost(Duration.ofSeconds(2)).until(() -> {
        try (RawHttp c = new RawHttp(port)) {
          return c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().body().equals("flaky");
        }
      });
    }
  }

  @Test
  void theOnlyEndpointOfABackendIsNeverEjected() {
    int port = Ports.free();
    try (TestBackend failing = TestBackend.start("failing")
        .respondWith(req -> TestBackend.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "oops"));
        ProxyFixture p = ProxyFixture.start().apply(config(port, failing.endpoint(), ""))) {
      for (int i = 0; i < 20; i++) {
        assertThat(get(port)).isEqualTo(500);
      }
      assertThat(p.admin("/backends")).doesNotContain("\"ejected\" : true");
    }
  }

  @Test
  void atMostHalfOfTheEndpointsAreEjected() {
    int port = Ports.free();
    List<TestBackend> failing = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      failing.add(TestBackend.start("f" + i).respondWith(req -> TestBackend.text(HttpResponseStatus.BAD_GATEWAY, "x")));
    }
    String endpoints = String.join(", ", failing.stream().map(TestBackend::endpoint).toList());
    try (ProxyFixture p = ProxyFixture.start().apply(config(port, endpoints, ""))) {
      for (int i = 0; i < 100; i++) {
        get(port);
      }
      String page = p.admin("/backends");
      assertThat(page.split("\"ejected\" : true", -1)).hasSize(3);
    } finally {
      failing.forEach(TestBackend::close);
    }
  }

  /**
   * The scenario: three endpoints under steady idempotent load, one killed. Requests caught on the
   * dead endpoint are retried on the others; once it is ejected nothing even tries it.
   */
  @Test
  void killingOneOfThreeEndpointsUnderLoad() throws Exception {
    int port = Ports.free();
    TestBackend a = TestBackend.start("a");
    TestBackend b = TestBackend.start("b");
    TestBackend victim = TestBackend.start("victim");
    String endpoints = a.endpoint() + ", " + b.endpoint() + ", " + victim.endpoint();
    try (ProxyFixture p = ProxyFixture.start().apply(config(port, endpoints, "").replace("retries: 0", "retries: 2"))) {
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
      AtomicLong ok = new AtomicLong();
      AtomicLong okLater = new AtomicLong();
      List<Long> failureTimes = new CopyOnWriteArrayList<>();
      List<String> failures = new CopyOnWriteArrayList<>();
      List<Thread> clients = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        Thread client = new Thread(() -> {
          RawHttp c = null;
          while (running.get()) {
            try {
              if (c == null) {
                c = new RawHttp(port);
              }
              RawHttp.Response r = c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read();
              if (r.status() == 200) {
                ok.incrementAndGet();
                if (System.nanoTime() - killedAt.get() > 1_000_000_000L) {
                  okLater.incrementAndGet();
                }
              } else {
                failureTimes.add(System.nanoTime());
                failures.add("status " + r.status());
              }
            } catch (RuntimeException e) {
              failureTimes.add(System.nanoTime());
              failures.add(e.toString());
              if (c != null) {
                c.close();
              }
              c = null;
            }
          }
          if (c != null) {
            c.close();
          }
        });
        clients.add(client);
        client.start();
      }
      Thread.sleep(1000);
      killedAt.set(System.nanoTime());
      victim.close();
      Thread.sleep(2500);
      running.set(false);
      for (Thread t : clients) {
        t.join(3000);
      }
      if (clients.stream().anyMatch(Thread::isAlive)) {
        System.out.println("HUNG CLIENTS; proxy state: " + p.admin("/backends"));
        Thread.getAllStackTraces().forEach((th, st) -> {
          if (th.getName().startsWith("gantry") || th.getName().contains("nioEventLoop")
              || th.getName().contains("multiThreadIoEventLoop")) {
            System.out.println("THREAD " + th.getName() + " " + th.getState());
            for (StackTraceElement e : st) {
              System.out.println("    " + e);
            }
          }
        });
        for (Thread t : clients) {
          t.join();
        }
      }
      String victimLabel = "127.0.0.1:" + victim.port();
      long ejectedFailuresAfter = failureTimes.stream().filter(t -> t > killedAt.get() + 1_000_000_000L).count();
      System.out.println("kill one of three: " + ok.get() + " requests ok, " + failureTimes.size()
          + " failed in all (" + ejectedFailuresAfter + " more than 1 s after the kill); victim ejected: "
          + p.admin("/backends").contains("\"ejected\" : true") + "; failures: " + failures);
      p.accessLog().stream().filter(l -> !l.contains(" 200 ") || !l.contains(" -- 0 ")).limit(40)
          .forEach(l -> System.out.println("  " + l));
      assertThat(p.admin("/metrics")).contains("gantry_backend_endpoint_up{lb=\"passive\",backend=\"web\",endpoint=\""
          + victimLabel + "\"} 0");
      assertThat(ejectedFailuresAfter).isZero();
      assertThat(failureTimes).isEmpty();
      // the two left kept serving; how much is measured by bench/reload.sh
      assertThat(okLater.get()).as("requests served more than 1 s after the kill").isPositive();
    } finally {
      a.close();
      b.close();
    }
  }
}
