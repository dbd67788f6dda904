package dev.gantry.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyProcess;
import dev.gantry.proxy.testing.TestBackend;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy as a command: start-up checks, --check, SIGHUP, and the demo. */
class CommandLineIT {

  @TempDir
  Path dir;

  static final HttpClient client = HttpClient.newHttpClient();

  static String get(int port, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void anInvalidFileAtStartUpPrintsEveryProblemAndExits2() throws IOException {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: bad}
        spec:
          listeners: [{name: http, port: 8080, protocol: HTTP, defaultBackend: nowhere}]
          routes: [{name: r, backends: [{name: forum}], colour: blue}]
          backends: [{name: site, endpoints: [{address: 127.0.0.1, port: 70000}]}]
        """);
    try (ProxyProcess p = ProxyProcess.start(List.of(), "--config", config.toString(), "--admin-port", "-1")) {
      assertThat(p.awaitExit(30)).isEqualTo(2);
      assertThat(p.stderr())
          .contains(config + ":5: spec.listeners[0].defaultBackend: no backend named \"nowhere\"")
          .contains(config + ":6: spec.routes[0].colour: unknown field \"colour\"")
          .contains(config + ":7: spec.backends[0].endpoints[0].port");
    }
  }

  @Test
  void checkValidatesWithoutServing() throws IOException {
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: good}
        spec:
          listeners: [{name: http, port: 8080, protocol: HTTP, defaultBackend: site}]
          backends: [{name: site, endpoints: [{address: 127.0.0.1, port: 9}]}]
        """);
    try (ProxyProcess p = ProxyProcess.start(List.of(), "--check", "--config", good.toString())) {
      assertThat(p.awaitExit(30)).isEqualTo(0);
      assertThat(p.stdout()).contains("configuration valid");
    }
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "apiVersion: gantry.dev/v1alpha1\nkind: Ingress\n");
    try (ProxyProcess p = ProxyProcess.start(List.of(), "--check", "--config", bad.toString())) {
      assertThat(p.awaitExit(30)).isEqualTo(2);
      assertThat(p.stderr()).contains(bad + ":2: kind");
    }
  }

  @Test
  void aBusyAdminPortIsOneClearLineAndExit1() throws IOException {
    Path config = dir.resolve("lb.yaml");
    Files.writeString(config, """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: busy}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP}]
        """.formatted(Ports.free()));
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        ProxyProcess p = ProxyProcess.start(List.of(), "--config", config.toString(), "--admin-address", "127.0.0.1",
            "--admin-port", Integer.toString(taken.getLocalPort()))) {
      assertThat(p.awaitExit(30)).isEqualTo(1);
      assertThat(p.stderr()).contains("gantry-proxy: cannot listen on 127.0.0.1:" + taken.getLocalPort()
          + " (the admin port)").doesNotContain("\tat ");
    }
  }

  @Test
  void missingConfigIsAUsageError() {
    try (ProxyProcess p = ProxyProcess.start(List.of())) {
      assertThat(p.awaitExit(30)).isEqualTo(2);
      assertThat(p.stderr()).contains("--config FILE is required");
    }
  }

  @Test
  void sighupReloadsTheFile() throws Exception {
    try (TestBackend blue = TestBackend.start("blue"); TestBackend green = TestBackend.start("green")) {
      int port = Ports.free();
      int admin = Ports.free();
      String document = """
          apiVersion: gantry.dev/v1alpha1
          kind: LoadBalancer
          metadata: {name: hup}
          spec:
            listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: web}]
            backends: [{name: web, endpoints: [%s]}]
          """;
      String before = document.formatted(port, blue.endpoint());
      String after = document.formatted(port, green.endpoint());
      // The same size and modification time, in a directory the proxy does not watch (it watches the
      // link's): a change only SIGHUP can find.
      int length = Math.max(before.length(), after.length());
      Path real = Files.createDirectory(dir.resolve("real")).resolve("lb.yaml");
      Files.writeString(real, before + "#".repeat(length - before.length()));
      Path config = Files.createSymbolicLink(dir.resolve("lb.yaml"), real);
      try (ProxyProcess p = ProxyProcess.start(List.of(), "--config", config.toString(), "--admin-port",
          Integer.toString(admin), "--bind-address", "127.0.0.1", "--access-log", "off").awaitReady(admin)) {
        assertThat(get(port, "/")).isEqualTo("blue");
        java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(real);
        Files.writeString(real, after + "#".repeat(length - after.length()));
        Files.setLastModifiedTime(real, modified);
        p.signal("HUP");
        await().atMost(Duration.ofSeconds(5)).until(() -> p.stderr().contains("configuration 2 applied (SIGHUP)"));
        assertThat(get(port, "/")).isEqualTo("green");
        p.signal("TERM");
        assertThat(p.awaitExit(15)).isIn(0, 143);
      }
    }
  }

  @Test
  void theDemoServesTheQuickstart() throws Exception {
    for (int port : new int[] {8080, 9001, 9002}) {
      Assumptions.assumeTrue(free(port), "port " + port + " is taken on this machine; the demo needs it");
    }
    int admin = Ports.free();
    try (ProxyProcess p = ProxyProcess.start(List.of(), "demo", "--admin-port", Integer.toString(admin))
        .awaitReady(admin)) {
      assertThat(get(8080, "/")).startsWith("Hello from the main site!");
      assertThat(get(8080, "/community/posts")).startsWith("Hello from the forum!");
      assertThat(get(8080, "/communityx")).startsWith("Hello from the main site!");
      assertThat(p.stderr()).contains("curl -i http://localhost:8080/community");
      // The JDK client asks to upgrade to h2c, which an HTTP listener accepts: the line names HTTP/2.0.
      await().atMost(Duration.ofSeconds(2)).until(() -> p.stdout().contains("\"GET /community/posts HTTP/2.0\""));
    }
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
