package dev.gantry.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyProcess;
import dev.gantry.proxy.testing.TestBackend;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM as Kubernetes sends it to a terminating pod: not ready at once, still serving for the shutdown
 * delay, then no new connections, the exchanges in progress finished, and a clean exit.
 */
class ShutdownIT {

  @TempDir
  Path dir;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void sigtermServesOnForTheDelayThenDrainsAndExits() throws Exception {
    try (TestBackend backend = TestBackend.start("site"); TestBackend slowBackend = TestBackend.start("slow")) {
      backend.respondWith(req -> TestBackend.text(HttpResponseStatus.OK, "site " + req.uri()));
      slowBackend.respondWith(req -> {
        sleep(2500);
        return TestBackend.text(HttpResponseStatus.OK, "slow " + req.uri());
      });
      int port = Ports.free();
      int admin = Ports.free();
      Path config = dir.resolve("lb.yaml");
      Files.writeString(config, """
          apiVersion: gantry.dev/v1alpha1
          kind: LoadBalancer
          metadata: {name: site}
          spec:
            listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: site}]
            routes: [{name: slow, paths: [{type: Prefix, value: /slow}], backends: [{name: slow}]}]
            backends:
            - {name: site, endpoints: [%s]}
            - {name: slow, endpoints: [%s]}
          """.formatted(port, backend.endpoint(), slowBackend.endpoint()));
      try (ProxyProcess p = ProxyProcess.start(List.of(), "--config", config.toString(), "--admin-port",
          Integer.toString(admin), "--shutdown-delay", "2s", "--drain-timeout", "10s", "--access-log", "off")) {
        p.awaitReady(admin);
        assertThat(get(port, "/").body()).isEqualTo("site /");

        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
          try {
            return get(port, "/slow");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> !slowBackend.seen().isEmpty());
        long terminated = System.nanoTime();
        p.signal("TERM");

        // not ready at once, so that the pod leaves its Services' endpoints ...
        await().atMost(Duration.ofSeconds(1)).ignoreExceptions().until(() -> get(admin, "/readyz").statusCode() == 503);
        // ... while it still serves new connections for the delay
        assertThat(get(port, "/during-the-delay").body()).isEqualTo("site /during-the-delay");
        assertThat(System.nanoTime() - terminated).isLessThan(Duration.ofSeconds(2).toNanos());

        // then no new connection is taken, and the exchange in progress finishes
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> refused(port));
        assertThat(System.nanoTime() - terminated).isGreaterThanOrEqualTo(Duration.ofSeconds(2).toNanos());
        HttpResponse<String> slow = inFlight.get();
        assertThat(slow.statusCode()).isEqualTo(200);
        assertThat(slow.body()).isEqualTo("slow /slow");
        assertThat(p.awaitExit(15)).as("a JVM ended by SIGTERM exits with 128 + 15").isEqualTo(143);
        assertThat(p.stderr()).contains("shutting down: not ready, still serving for 2000 ms");
      }
    }
  }

  /**
   * Kubernetes may stop a pod at any moment, also while it is still loading its configuration: as soon as the
   * proxy answers on its admin port at all, a SIGTERM already takes the graceful way out.
   */
  @Test
  void aSigtermWhileTheConfigurationIsStillLoadingLeavesGracefullyToo() throws Exception {
    int admin = Ports.free();
    Path config = dir.resolve("lb.yaml");
    Files.writeString(config, """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: early}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: site}]
          backends: [{name: site, endpoints: [{address: 127.0.0.1, port: %d}]}]
        """.formatted(Ports.free(), Ports.free()));
    try (ProxyProcess p = ProxyProcess.start(List.of(), "--config", config.toString(), "--admin-port",
        Integer.toString(admin), "--shutdown-delay", "1s", "--access-log", "off")) {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(() -> !refused(admin));
      p.signal("TERM");
      assertThat(p.awaitExit(15)).isEqualTo(143);
      assertThat(p.stderr()).contains("shutting down: not ready, still serving for 1000 ms");
    }
  }

  @Test
  void aShutdownDelayThatIsNotADurationIsRefused() {
    try (ProxyProcess p = ProxyProcess.start(List.of(), "--config", "/dev/null", "--shutdown-delay", "soon")) {
      assertThat(p.awaitExit(30)).isEqualTo(2);
      assertThat(p.stderr()).contains("--shutdown-delay").contains("invalid duration \"soon\"");
    }
  }

  static boolean refused(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
