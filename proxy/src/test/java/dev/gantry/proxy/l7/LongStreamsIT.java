package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.GrpcOverRawH2;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawH2;
import dev.gantry.proxy.testing.RawH2.Frame;
import dev.gantry.proxy.testing.ScriptedBackend;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stream that stays quiet longer than the listener's client and server timeouts (1 s here) is not cut when its
 * route sets its own {@code timeout}: the route's timeout alone bounds its exchanges, and an HTTP/2 connection
 * with a stream open is not idle. Under a route without one, the listener's timeouts still cut it. The scale is
 * seconds, for the minutes a real stream (a gRPC watch, a server push) stays quiet.
 */
class LongStreamsIT {

  static ScriptedBackend quiet;
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() {
    // Answers at once, stays quiet for 3 s (the request body still open), then ends the answer.
    quiet = new ScriptedBackend((head, in, out) -> {
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/grpc\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nfirst\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      Thread.sleep(3000);
      out.write("6\r\nsecond\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      Thread.sleep(1000);
    });
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: long-streams}
        spec:
          timeouts: {server: 1s, client: 1s}
          listeners: [{name: h2c, port: %d, protocol: HTTP}]
          routes:
          - {name: unbounded, paths: [{type: Prefix, value: /unbounded.Watch}], backends: [{name: quiet}], timeout: 0s}
          - {name: long, paths: [{type: Prefix, value: /long.Watch}], backends: [{name: quiet}], timeout: 1h}
          - {name: default, paths: [{type: Prefix, value: /default.Watch}], backends: [{name: quiet}]}
          backends:
          - {name: quiet, endpoints: [%s]}
        """.formatted(port, quiet.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    quiet.close();
  }

  @Test
  void aQuietStreamUnderARouteWithoutLimitIsNotCut() {
    assertThat(bodyOf(stream("/unbounded.Watch/Follow"))).isEqualTo("firstsecond");
  }

  @Test
  void aQuietStreamUnderARouteWithALongTimeoutIsNotCut() {
    assertThat(bodyOf(stream("/long.Watch/Follow"))).isEqualTo("firstsecond");
  }

  @Test
  void aQuietStreamUnderARouteWithoutItsOwnTimeoutIsCutByTheListenersTimeouts() {
    List<Frame> frames = stream("/default.Watch/Follow");
    assertThat(frames).last().extracting(Frame::type).isEqualTo(RawH2.RST_STREAM);
    assertThat(bodyOf(frames)).isEqualTo("first");
  }

  /** A call whose request stays open (as a bidirectional stream's does while the client has nothing to say). */
  private static List<Frame> stream(String path) {
    try (RawH2 c = RawH2.connectCleartext(port)) {
      GrpcOverRawH2.start(c, 1, path, false);
      return GrpcOverRawH2.framesOf(c, 1);
    }
  }

  private static String bodyOf(List<Frame> frames) {
    StringBuilder b = new StringBuilder();
    frames.stream().filter(f -> f.type() == RawH2.DATA)
        .forEach(f -> b.append(new String(f.payload(), StandardCharsets.ISO_8859_1)));
    return b.toString();
  }
}
