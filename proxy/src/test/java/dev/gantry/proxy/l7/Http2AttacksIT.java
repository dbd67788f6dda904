package dev.gantry.proxy.l7;

import static dev.gantry.proxy.testing.RawH2.CONTINUATION;
import static dev.gantry.proxy.testing.RawH2.DATA;
import static dev.gantry.proxy.testing.RawH2.ENHANCE_YOUR_CALM;
import static dev.gantry.proxy.testing.RawH2.GOAWAY;
import static dev.gantry.proxy.testing.RawH2.HEADERS;
import static dev.gantry.proxy.testing.RawH2.PING;
import static dev.gantry.proxy.testing.RawH2.REFUSED_STREAM;
import static dev.gantry.proxy.testing.RawH2.RST_STREAM;
import static dev.gantry.proxy.testing.RawH2.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawH2;
import dev.gantry.proxy.testing.RawH2.Block;
import dev.gantry.proxy.testing.RawH2.Frame;
import dev.gantry.proxy.testing.TestBackend;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each known HTTP/2 attack on one connection is bounded: the connection is ended (GOAWAY ENHANCE_YOUR_CALM
 * where the client still listens) or its excess is refused, nothing of it reaches the backend that should not,
 * and a well-behaved client on another connection is served meanwhile.
 */
class Http2AttacksIT {

  TestBackend app;
  ProxyFixture proxy;
  int port;
  /** An HTTP listener: HTTP/2 over cleartext (h2c) meets the same limits. */
  int plainPort;

  @BeforeEach
  void start() {
    app = TestBackend.start("app");
    port = Ports.free();
    plainPort = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: h2}
        spec:
          listeners:
          - {name: https, port: %d, protocol: HTTPS, defaultBackend: app}
          - {name: http, port: %d, protocol: HTTP, defaultBackend: app}
          backends: [{name: app, endpoints: [%s]}]
        """.formatted(port, plainPort, app.endpoint()));
  }

  @AfterEach
  void stop() {
    proxy.close();
    app.close();
  }

  @Test
  void rapidResetEndsTheConnectionAndNoResetStreamReachesTheBackend() {
    rapidResetIsBounded(() -> RawH2.connect(port));
  }

  @Test
  void rapidResetOverCleartextIsBoundedTheSameWay() {
    rapidResetIsBounded(() -> RawH2.connectCleartext(plainPort));
  }

  private void rapidResetIsBounded(Supplier<RawH2> connect) {
    List<Frame> seen = new ArrayList<>();
    int sent = 0;
    try (RawH2 c = connect.get()) {
      // Batches of HEADERS + RST_STREAM, each followed by a PING: its acknowledgement says the batch was read.
      for (long batch = 1; batch <= 40 && !hasGoaway(seen); batch++) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
          int id = 2 * sent++ + 1;
          frames.add(RawH2.headers(id, true, Block.get("/").bytes()));
          frames.add(RawH2.rst(id, RawH2.CANCEL));
        }
        frames.add(RawH2.ping(batch));
        if (!c.tryWrite(RawH2.concat(frames))) {
          break;
        }
        seen.addAll(c.readUntil(PING, 0));
        if (batch == 4) {
          assertWellBehavedClientServed();
        }
      }
      seen.addAll(c.readUntilClosed());
    }
    Frame goaway = goaway(seen);
    assertThat(goaway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
    assertThat((goaway.lastStreamId() + 1) / 2).isLessThanOrEqualTo(Http2Pipeline.MAX_RESETS_PER_WINDOW + 1);
    assertThat(sent).isLessThan(1000);
    // Streams reset in the burst that opened them never start an exchange: no backend connection is even dialled
    // for them (the well-behaved client's two requests account for at most two).
    assertThat(attackRequestsSeenByBackend()).isLessThanOrEqualTo(2);
    assertThat(app.connectionCount()).isLessThanOrEqualTo(4);
    assertWellBehavedClientServed();
  }

  @Test
  void aFloodOfSmallContinuationFramesEndsTheConnection() {
    List<Frame> seen = new ArrayList<>();
    try (RawH2 c = RawH2.connect(port)) {
      byte[] block = Block.get("/").add("x-filler", "a".repeat(200)).bytes();
      List<byte[]> frames = new ArrayList<>();
      frames.add(RawH2.frame(HEADERS, RawH2.END_STREAM, 1, new byte[] {block[0]}));
      for (int i = 1; i < block.length; i++) {
        frames.add(RawH2.frame(CONTINUATION, 0, 1, new byte[] {block[i]}));
      }
      c.tryWrite(RawH2.concat(frames));
      seen.addAll(c.readUntilClosed());
    }
    assertThat(goaway(seen).errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
    assertThat(attackRequestsSeenByBackend()).isZero();
    assertWellBehavedClientServed();
  }

  @Test
  void aHeaderBlockLargerThanTheLimitInBigContinuationFramesEndsTheConnection() {
    List<Frame> seen = new ArrayList<>();
    try (RawH2 c = RawH2.connect(port)) {
      byte[] piece = Block.get("/").bytes();
      c.tryWrite(RawH2.frame(HEADERS, RawH2.END_STREAM, 1, piece));
      byte[] filler = new Block().add("x-filler", "b".repeat(16_000)).bytes();
      // Continuations of 16 KB each, never ending the block: at most the header list limit is buffered.
      for (int i = 0; i < 200 && c.tryWrite(RawH2.frame(CONTINUATION, 0, 1, filler)); i++) {
        // keep sending until the connection is gone
      }
      seen.addAll(c.readUntilClosed());
    }
    assertThat(hasGoaway(seen)).as("frames %s", seen).isTrue();
    assertThat(attackRequestsSeenByBackend()).isZero();
    assertWellBehavedClientServed();
  }

  @Test
  void anHpackBombIsRefusedWithoutReachingTheBackend() {
    String response;
    List<Frame> rest;
    try (RawH2 c = RawH2.connect(port)) {
      // One 4 KB field enters the dynamic table; 2,000 one-byte references to it decode to 8 MB.
      Block bomb = Block.get("/").addIndexed("x-bomb", "c".repeat(4000));
      for (int i = 0; i < 2000; i++) {
        bomb.ref(62);
      }
      c.tryWrite(RawH2.headers(1, true, bomb.bytes()));
      response = c.response(1);
      rest = c.readUntilClosed();
    }
    // Either the stream is answered 431 or reset, or the whole connection ends: nothing is forwarded.
    assertThat(response.startsWith("431") || response.startsWith("RST_STREAM") || hasGoaway(rest)
        || response.startsWith("null")).as("response %s, then %s", response, rest).isTrue();
    assertThat(attackRequestsSeenByBackend()).isZero();
    assertWellBehavedClientServed();
  }

  @Test
  void aSettingsFloodFromAClientThatDoesNotReadEndsTheConnection() {
    assertFloodEnds(RawH2.frame(SETTINGS, 0, 0, new byte[0]));
  }

  @Test
  void aPingFloodFromAClientThatDoesNotReadEndsTheConnection() {
    assertFloodEnds(RawH2.ping(7));
  }

  @Test
  void aFloodOfEmptyDataFramesEndsTheConnection() {
    List<Frame> seen;
    try (RawH2 c = RawH2.connect(port)) {
      List<byte[]> frames = new ArrayList<>();
      frames.add(RawH2.headers(1, false, Block.request("POST", "/upload").bytes()));
      for (int i = 0; i < 50; i++) {
        frames.add(RawH2.frame(DATA, 0, 1, new byte[0]));
      }
      c.tryWrite(RawH2.concat(frames));
      seen = c.readUntilClosed();
    }
    assertThat(goaway(seen).errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
    assertWellBehavedClientServed();
  }

  @Test
  void streamsBeyondTheConcurrencyLimitAreRefused() {
    List<Frame> seen = new ArrayList<>();
    int streams = Http2Pipeline.MAX_CONCURRENT_STREAMS + 5;
    try (RawH2 c = RawH2.connect(port)) {
      List<byte[]> frames = new ArrayList<>();
      for (int i = 0; i < streams; i++) {
        // Requests with a body still to come: each stream stays open.
        frames.add(RawH2.headers(2 * i + 1, false, Block.request("POST", "/slow").bytes()));
      }
      frames.add(RawH2.ping(1));
      c.tryWrite(RawH2.concat(frames));
      seen.addAll(c.readUntil(PING, 0));
      assertWellBehavedClientServed();
    }
    List<Integer> refused = seen.stream()
        .filter(f -> f.type() == RST_STREAM && f.errorCode() == REFUSED_STREAM).map(Frame::stream).toList();
    List<Integer> beyond = new ArrayList<>();
    for (int i = Http2Pipeline.MAX_CONCURRENT_STREAMS; i < streams; i++) {
      beyond.add(2 * i + 1);
    }
    assertThat(refused).containsExactlyElementsOf(beyond);
    assertThat(hasGoaway(seen)).isFalse();
  }

  /** A client that writes {@code frame} over and over and never reads: the proxy ends it, memory bounded. */
  void assertFloodEnds(byte[] frame) {
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      batch.add(frame);
    }
    byte[] bytes = RawH2.concat(batch);
    long written = 0;
    try (RawH2 c = RawH2.connect(port, 4096)) {
      // Up to 16 million frames: far more answers than the socket buffers (a few MB each way) and the proxy's
      // queue limit hold.
      for (int i = 0; i < 16_000 && c.tryWrite(bytes); i++) {
        written += batch.size();
      }
    }
    assertThat(written).as("frames written before the proxy ended the connection").isLessThan(16_000_000);
    assertWellBehavedClientServed();
  }

  /** A client on another connection asks for /ok the proper way and gets the backend's answer. */
  void assertWellBehavedClientServed() {
    try (RawH2 c = RawH2.connect(port)) {
      c.write(RawH2.headers(1, true, Block.get("/ok").bytes()));
      assertThat(c.response(1)).isEqualTo("200 app");
    } catch (IOException e) {
      throw new AssertionError("a well-behaved HTTP/2 client was not served: " + e, e);
    }
  }

  /** Requests the attack itself got through to the backend (the well-behaved client's are not counted). */
  long attackRequestsSeenByBackend() {
    return app.seen().stream().filter(s -> !s.uri().equals("/ok")).count();
  }

  static boolean hasGoaway(List<Frame> frames) {
    return frames.stream().anyMatch(f -> f.type() == GOAWAY);
  }

  static Frame goaway(List<Frame> frames) {
    return frames.stream().filter(f -> f.type() == GOAWAY).findFirst()
        .orElseThrow(() -> new AssertionError("no GOAWAY in " + frames));
  }
}
