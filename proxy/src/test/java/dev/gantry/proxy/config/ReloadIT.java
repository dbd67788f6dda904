package dev.gantry.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.TestBackend;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file is the configuration: changes apply live, bad changes are refused, nothing in flight is lost. */
class ReloadIT {

  @TempDir
  Path dir;
  Path file;
  TestBackend blue;
  TestBackend green;
  ProxyFixture proxy;
  FileConfigSource source;
  int port;

  @BeforeEach
  void start() throws IOException {
    blue = TestBackend.start("blue");
    green = TestBackend.start("green");
    port = Ports.free();
    file = dir.resolve("lb.yaml");
    Files.writeString(file, config(port, "blue", ""));
    proxy = ProxyFixture.start();
    source = new FileConfigSource(file, proxy.proxy());
    assertThat(source.loadInitial()).isEmpty();
    source.startWatching();
  }

  @AfterEach
  void stop() {
    source.close();
    proxy.close();
    blue.close();
    green.close();
  }

  String config(int port, String backend, String extraListeners) {
    return """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: live}
        spec:
          listeners:
          - {name: http, port: %d, protocol: HTTP, defaultBackend: %s}
        %s
          backends:
          - {name: blue, endpoints: [%s]}
          - {name: green, endpoints: [%s]}
        """.formatted(port, backend, extraListeners, blue.endpoint(), green.endpoint());
  }

  /** How soon is measured by bench/reload.sh, not here. */
  @Test
  void aValidChangeTakesEffect() throws IOException {
    assertThat(proxy.get(port, "/").body()).isEqualTo("blue");
    Files.writeString(file, config(port, "green", ""));
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.get(port, "/").body().equals("green"));
  }

  @Test
  void anInvalidChangeIsRefusedAndTheLastGoodConfigurationKeepsServing() throws IOException {
    Files.writeString(file, config(port, "purple", ""));
    await().atMost(Duration.ofSeconds(3)).until(() ->
        proxy.admin("/metrics").contains("gantry_config_reloads_total{result=\"failure\"} 1"));
    assertThat(source.reload("test")).singleElement().asString()
        .contains("lb.yaml:6: spec.listeners[0].defaultBackend").contains("purple");
    assertThat(proxy.get(port, "/").body()).isEqualTo("blue");
    Files.writeString(file, "this: [is not: yaml");
    await().atMost(Duration.ofSeconds(3)).until(() ->
        proxy.admin("/metrics").contains("gantry_config_reloads_total{result=\"failure\"} 3"));
    assertThat(proxy.get(port, "/").body()).isEqualTo("blue");
  }

  @Test
  void listenersAddedAreBoundAndListenersRemovedStopAccepting() throws Exception {
    int extra = Ports.free();
    Files.writeString(file, config(port, "blue", """
          - {name: extra, port: %d, protocol: HTTP, defaultBackend: green}
        """.formatted(extra)).replace("\n\n", "\n"));
    await().atMost(Duration.ofSeconds(2)).ignoreExceptions().until(() -> proxy.get(extra, "/").body().equals("green"));

    // A kept-alive connection on the port about to go away.
    try (RawHttp kept = new RawHttp(extra)) {
      assertThat(kept.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("green");
      Files.writeString(file, config(port, "blue", ""));
      await().atMost(Duration.ofSeconds(2)).until(() -> !accepts(extra));
      // The idle connection of the removed listener is closed, not left hanging.
      assertThat(kept.closedByPeer()).isTrue();
    }
    assertThat(proxy.get(port, "/").body()).isEqualTo("blue");
  }

  @Test
  void anExchangeInFlightFinishesWhenItsListenerIsRemoved() throws Exception {
    int extra = Ports.free();
    green.respondWith(req -> {
      try {
        Thread.sleep(1500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return TestBackend.text(io.netty.handler.codec.http.HttpResponseStatus.OK, "slow green");
    });
    Files.writeString(file, config(port, "blue", """
          - {name: extra, port: %d, protocol: HTTP, defaultBackend: green}
        """.formatted(extra)).replace("\n\n", "\n"));
    await().atMost(Duration.ofSeconds(2)).until(() -> accepts(extra));
    try (RawHttp c = new RawHttp(extra)) {
      c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
      // Remove the listener once the backend is working on the request.
      await().atMost(Duration.ofSeconds(5)).until(() -> !green.seen().isEmpty());
      Files.writeString(file, config(port, "blue", ""));
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("slow green");
      assertThat(r.header("connection")).isEqualTo("close");
    }
  }

  @Test
  void reloadsUnderSteadyLoadFailNoRequest() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong ok = new AtomicLong();
    List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    ConcurrentHashMap<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    Thread[] clients = new Thread[8];
    for (int i = 0; i < clients.length; i++) {
      boolean keepAlive = i % 2 == 0;
      clients[i] = new Thread(() -> {
        RawHttp c = null;
        while (running.get()) {
          try {
            if (c == null) {
              c = new RawHttp(port);
            }
            RawHttp.Response r = c.send("GET / HTTP/1.1\r\nHost: h\r\n" + (keepAlive ? "" : "Connection: close\r\n")
                + "\r\n").read();
            if (r.status() != 200) {
              failures.add("status " + r.status());
            } else {
              ok.incrementAndGet();
              seen.computeIfAbsent(r.body(), k -> new AtomicInteger()).incrementAndGet();
            }
            if (!keepAlive || "close".equals(r.header("connection"))) {
              c.close();
              c = null;
            }
          } catch (RuntimeException e) {
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
      clients[i].start();
    }
    long generationBefore = proxy.proxy().current().generation();
    for (int i = 0; i < 12; i++) {
      Thread.sleep(350);
      Files.writeString(file, config(port, i % 2 == 0 ? "green" : "blue", ""));
    }
    Thread.sleep(350);
    long reloads = proxy.proxy().current().generation() - generationBefore;
    running.set(false);
    for (Thread t : clients) {
      t.join();
    }
    System.out.println("requests during " + reloads + " reloads: " + ok.get() + ", by backend " + seen
        + ", failed " + failures.size());
    assertThat(reloads).isGreaterThanOrEqualTo(10);
    assertThat(failures).isEmpty();
    // traffic went on through the reloads; how much of it is measured by bench/reload.sh
    assertThat(seen).containsKeys("blue", "green");
  }

  static boolean accepts(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }
}
