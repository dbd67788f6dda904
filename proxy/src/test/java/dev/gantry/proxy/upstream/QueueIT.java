package dev.gantry.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.ScriptedBackend;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** maxConnectionsPerEndpoint with HAProxy's queue: wait for a slot, within bounds of time and length. */
class QueueIT {

  static String config(int port, String endpoint, String connectTimeout) {
    return """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: queue}
        spec:
          timeouts: {connect: %s}
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: web}]
          backends:
          - name: web
            maxConnectionsPerEndpoint: 2
            endpoints: [%s]
        """.formatted(connectTimeout, port, endpoint);
  }

  /** A backend that answers each request after {@code millis}, many at once. */
  static ScriptedBackend slow(long millis, AtomicInteger concurrent, AtomicInteger peak) {
    return new ScriptedBackend((head, in, out) -> {
      int now = concurrent.incrementAndGet();
      peak.accumulateAndGet(now, Math::max);
      Thread.sleep(millis);
      concurrent.decrementAndGet();
      out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    });
  }

  @Test
  void requestsBeyondTheLimitWaitTheirTurn() throws Exception {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    int port = Ports.free();
    try (ScriptedBackend backend = slow(200, concurrent, peak);
        ProxyFixture p = ProxyFixture.start().apply(config(port, backend.endpoint(), "5s"))) {
      List<Integer> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
      List<Thread> clients = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Thread t = new Thread(() -> {
          try (RawHttp c = new RawHttp(port)) {
            statuses.add(c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().status());
          }
        });
        clients.add(t);
        t.start();
      }
      for (Thread t : clients) {
        t.join();
      }
      assertThat(statuses).hasSize(8).containsOnly(200);
      assertThat(peak.get()).isEqualTo(2);
    }
  }

  @Test
  void waitingLongerThanTheConnectTimeoutIs503() throws Exception {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    int port = Ports.free();
    try (ScriptedBackend backend = slow(1500, concurrent, peak);
        ProxyFixture p = ProxyFixture.start().apply(config(port, backend.endpoint(), "300ms"))) {
      List<RawHttp> busy = List.of(new RawHttp(port), new RawHttp(port));
      busy.forEach(c -> c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
      Thread.sleep(200);
      long start = System.nanoTime();
      try (RawHttp late = new RawHttp(port)) {
        RawHttp.Response r = late.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read();
        assertThat(r.status()).isEqualTo(503);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 1200L);
      }
      for (RawHttp c : busy) {
        assertThat(c.read().status()).isEqualTo(200);
        c.close();
      }
      assertThat(p.admin("/metrics"))
          .contains("gantry_backend_queue_rejections_total{lb=\"queue\",backend=\"web\",reason=\"timeout\"} 1");
    }
  }

  @Test
  void aFullQueueAnswers503AtOnce() throws Exception {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    int port = Ports.free();
    try (ScriptedBackend backend = slow(4000, concurrent, peak);
        ProxyFixture p = ProxyFixture.start().apply(config(port, backend.endpoint(), "10s"))) {
      // 2 in service + 1024 queued fill everything.
      List<RawHttp> waiting = new ArrayList<>();
      for (int i = 0; i < 2 + BackendState.MAX_QUEUED; i++) {
        RawHttp c = new RawHttp(port);
        c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        waiting.add(c);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!p.admin("/metrics").contains("gantry_backend_queued{lb=\"queue\",backend=\"web\"} 1024")) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(20);
      }
      long start = System.nanoTime();
      try (RawHttp overflow = new RawHttp(port)) {
        assertThat(overflow.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(503);
      }
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
      assertThat(p.admin("/metrics"))
          .contains("gantry_backend_queue_rejections_total{lb=\"queue\",backend=\"web\",reason=\"full\"} 1");
      waiting.forEach(RawHttp::close);
    }
  }
}
