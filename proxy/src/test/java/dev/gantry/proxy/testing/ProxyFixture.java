package dev.gantry.proxy.testing;

import dev.gantry.model.LoadResult;
import dev.gantry.model.ModelLoader;
import dev.gantry.model.ValidationMode;
import dev.gantry.proxy.GantryProxy;
import dev.gantry.proxy.ProxyOptions;
import dev.gantry.proxy.admin.AccessLog;
import dev.gantry.proxy.admin.AccessLogFormat;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-process proxy on 127.0.0.1, configured from YAML text, with an access log the test can read. */
public final class ProxyFixture implements AutoCloseable {

  private final GantryProxy proxy;
  private final List<String> accessLog = new CopyOnWriteArrayList<>();
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private ProxyFixture(AccessLogFormat format, int maxConnections) throws Exception {
    this.proxy = GantryProxy.start(new ProxyOptions("127.0.0.1", "127.0.0.1", 0, 2, "auto", maxConnections),
        AccessLog.to(OutputStream.nullOutputStream(), format, accessLog::add));
  }

  public static ProxyFixture start() {
    return start(AccessLogFormat.HAPROXY);
  }

  public static ProxyFixture start(AccessLogFormat format) {
    return start(format, 0);
  }

  /** A proxy that keeps at most {@code maxConnections} client connections open (0: derived, as by default). */
  public static ProxyFixture startWithMaxConnections(int maxConnections) {
    return start(AccessLogFormat.HAPROXY, maxConnections);
  }

  private static ProxyFixture start(AccessLogFormat format, int maxConnections) {
    try {
      return new ProxyFixture(format, maxConnections);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Validates and applies {@code yaml}; fails the test with the problems when it is invalid. */
  public ProxyFixture apply(String yaml) {
    LoadResult r = ModelLoader.load("test.yaml", yaml, ValidationMode.STANDALONE);
    if (!r.ok()) {
      throw new AssertionError("invalid test configuration: " + r.diagnostics());
    }
    try {
      proxy.apply(r.loadBalancers(), "test");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return this;
  }

  public GantryProxy proxy() {
    return proxy;
  }

  public List<String> accessLog() {
    return accessLog;
  }

  public int adminPort() {
    return proxy.adminPort();
  }

  public HttpClient client() {
    return client;
  }

  /** GET through the proxy with the JDK client. */
  public HttpResponse<String> get(int port, String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      b.headers(headers);
    }
    try {
      return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("GET " + path + " failed: " + e, e);
    }
  }

  public String admin(String path) {
    return get(adminPort(), path).body();
  }

  /**
   * The value of one series on {@code /metrics}, such as
   * {@code gantry_connections_active{lb="a",listener="http"}}; 0 when it is not there.
   */
  public long metric(String series) {
    for (String line : admin("/metrics").split("\n")) {
      if (line.startsWith(series + " ")) {
        return Long.parseLong(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  @Override
  public void close() {
    proxy.close();
  }
}
