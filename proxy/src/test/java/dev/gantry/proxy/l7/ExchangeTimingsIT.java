package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.admin.AccessLogFormat;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.ScriptedBackend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The times an exchange is logged with: from the read that completed its request head to the read of its
 * response's last bytes, whatever the client did on the connection before.
 */
class ExchangeTimingsIT {

  private static final Pattern TIMES = Pattern.compile("\"response_ms\":(\\d+),\"total_ms\":(\\d+)");

  static ScriptedBackend slow;
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() {
    // The head after 300 ms, the body 200 ms after it.
    slow = new ScriptedBackend((head, in, out) -> {
      Thread.sleep(300);
      out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(200);
      out.write("ok".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    });
    port = Ports.free();
    proxy = ProxyFixture.start(AccessLogFormat.JSON).apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: timings}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: slow}]
          backends:
          - {name: slow, endpoints: [{address: 127.0.0.1, port: %d}]}
        """.formatted(port, slow.port()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    slow.close();
  }

  @Test
  void eachExchangeOfAConnectionIsTimedFromItsOwnRequestToTheLastBytesOfItsResponse() throws InterruptedException {
    try (RawHttp client = new RawHttp(port).timeout(5000)) {
      assertThat(client.send("GET /first HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");
      Thread.sleep(400); // the connection idles before the second request
      assertThat(client.send("GET /second HTTP/1.1\r\nHost: h\r\n\r\n").read().body()).isEqualTo("ok");
    }

    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> proxy.accessLog().size() >= 2);
    List<String> lines = proxy.accessLog();
    for (String path : List.of("/first", "/second")) {
      String line = lines.stream().filter(l -> l.contains(path)).findFirst().orElseThrow();
      Matcher m = TIMES.matcher(line);
      assertThat(m.find()).as(line).isTrue();
      long response = Long.parseLong(m.group(1));
      long total = Long.parseLong(m.group(2));
      assertThat(response).as("the head came after 300 ms: %s", line).isBetween(290L, 2000L);
      assertThat(total - response).as("the body came 200 ms after the head: %s", line).isBetween(190L, 2000L);
      // The 400 ms the connection idled before the second request are not part of its exchange.
      assertThat(total).as(line).isLessThan(900L);
    }
  }
}
