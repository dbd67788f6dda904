package dev.gantry.proxy.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.GrpcOverRawH2;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawH2;
import dev.gantry.proxy.testing.RawH2.Frame;
import dev.gantry.proxy.testing.ScriptedBackend;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gRPC client's {@code grpc-timeout} is the exchange's deadline when it comes before the route's: once it passes,
 * a call that got no answer yet ends with DEADLINE_EXCEEDED (trailers-only), and one whose answer had started is
 * reset (RST_STREAM CANCEL). The routes here allow 30 s and the server timeout is 30 s, so only the client's
 * deadline can end these calls within the raw client's 10 s wait.
 */
class GrpcDeadlineIT {

  static ScriptedBackend silent;
  static ScriptedBackend stalling;
  static final ConcurrentLinkedQueue<String> heads = new ConcurrentLinkedQueue<>();
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() {
    silent = new ScriptedBackend((head, in, out) -> {
      heads.add(head);
      Thread.sleep(60_000);
    });
    // The answer starts (a head and one empty message), then nothing more comes.
    stalling = new ScriptedBackend((head, in, out) -> {
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/grpc\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\n\0\0\0\0\0\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      Thread.sleep(60_000);
    });
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: grpc-deadlines}
        spec:
          timeouts: {server: 30s, client: 30s}
          listeners: [{name: h2c, port: %d, protocol: HTTP}]
          routes:
          - {name: silent, paths: [{type: Prefix, value: /silent.Svc}], backends: [{name: silent}], timeout: 30s}
          - {name: stalling, paths: [{type: Prefix, value: /stalling.Svc}], backends: [{name: stalling}], timeout: 30s}
          - {name: short, paths: [{type: Prefix, value: /short.Svc}], backends: [{name: silent}], timeout: 300ms}
          backends:
          - {name: silent, endpoints: [%s]}
          - {name: stalling, endpoints: [%s]}
        """.formatted(port, silent.endpoint(), stalling.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    silent.close();
    stalling.close();
  }

  @Test
  void aCallWithoutAnswerEndsWithDeadlineExceededWhenItsTimeoutPasses() {
    List<Frame> frames = call("/silent.Svc/Unanswered", "400m");
    GrpcAnswersIT.assertTrailersOnly(frames, "4");
    // The backend was asked, with the client's deadline passed on for it to honour too.
    assertThat(heads).anyMatch(h -> h.startsWith("POST /silent.Svc/Unanswered") && h.contains("grpc-timeout: 400m"));
  }

  @Test
  void aCallWhoseAnswerStartedIsResetWhenItsTimeoutPasses() {
    List<Frame> frames = call("/stalling.Svc/Stream", "500000u");
    assertThat(frames).extracting(Frame::type).containsExactly(RawH2.HEADERS, RawH2.DATA, RawH2.RST_STREAM);
    assertThat(frames.get(0).headers().status()).hasToString("200");
    assertThat(frames.get(2).errorCode()).isEqualTo(RawH2.CANCEL);
  }

  @Test
  void theRouteTimeoutStillAppliesWhenTheClientAllowsLonger() {
    GrpcAnswersIT.assertTrailersOnly(call("/short.Svc/Call", "1H"), "4");
  }

  private static List<Frame> call(String path, String grpcTimeout) {
    try (RawH2 c = RawH2.connectCleartext(port)) {
      GrpcOverRawH2.start(c, 1, path, true, "grpc-timeout", grpcTimeout);
      return GrpcOverRawH2.framesOf(c, 1);
    }
  }
}
