package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyProcess;
import dev.gantry.proxy.testing.StreamingBackend;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100 MB each way through a proxy whose heap (48 MB) and direct memory (32 MB) are far smaller than the
 * bodies: it only works if bodies stream with backpressure and are never held whole.
 */
class StreamingIT {

  static final long HUNDRED_MB = 100L * 1024 * 1024;

  @TempDir
  static Path dir;
  static StreamingBackend backend;
  static ProxyProcess proxy;
  static int port;
  static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    backend = new StreamingBackend();
    port = Ports.free();
    int admin = Ports.free();
    Path config = dir.resolve("lb.yaml");
    Files.writeString(config, """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: big}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: files}]
          backends: [{name: files, endpoints: [%s]}]
        """.formatted(port, backend.endpoint()));
    proxy = ProxyProcess.start(List.of("-Xmx48m", "-XX:MaxDirectMemorySize=32m"),
        "--config", config.toString(), "--admin-port", Integer.toString(admin), "--admin-address", "127.0.0.1",
        "--bind-address", "127.0.0.1", "--access-log", "off", "--threads", "2").awaitReady(admin);
  }

  @AfterAll
  static void stop() {
    System.out.println("proxy peak RSS after the transfers: " + proxy.peakRssKib() / 1024 + " MiB");
    proxy.close();
    backend.close();
  }

  @Test
  void downloads100MbWithContentLength() throws Exception {
    download("/download?bytes=" + HUNDRED_MB);
  }

  @Test
  void downloads100MbChunked() throws Exception {
    download("/download?bytes=" + HUNDRED_MB + "&chunked");
  }

  @Test
  void uploads100MbWithContentLength() throws Exception {
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(() -> StreamingBackend.patternStream(HUNDRED_MB)), HUNDRED_MB);
    upload(body);
  }

  @Test
  void uploads100MbChunked() throws Exception {
    Flow.Publisher<java.nio.ByteBuffer> chunked =
        HttpRequest.BodyPublishers.ofInputStream(() -> StreamingBackend.patternStream(HUNDRED_MB));
    upload(HttpRequest.BodyPublishers.fromPublisher(chunked));
  }

  private static void download(String path) throws Exception {
    HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    MessageDigest md = StreamingBackend.sha256();
    long total = 0;
    try (InputStream in = r.body()) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
        total += n;
      }
    }
    assertThat(total).isEqualTo(HUNDRED_MB);
    assertThat(HexFormat.of().formatHex(md.digest())).isEqualTo(StreamingBackend.sha256OfPattern(HUNDRED_MB));
  }

  private static void upload(HttpRequest.BodyPublisher body) throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/upload"))
        .timeout(Duration.ofMinutes(2)).POST(body).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(StreamingBackend.sha256OfPattern(HUNDRED_MB) + " " + HUNDRED_MB);
  }
}
