package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.TestBackend;
import dev.gantry.proxy.testing.WebSocketEchoBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Upgrade requests become tunnels: a real WebSocket client talks to a real WebSocket server through us. */
class WebSocketIT {

  static WebSocketEchoBackend echo;
  static TestBackend plain;
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    echo = new WebSocketEchoBackend();
    plain = TestBackend.start("plain");
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: ws}
        spec:
          timeouts: {tunnel: 1s, client: 200ms}
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: plain}]
          routes: [{name: chat, paths: [{type: Prefix, value: /ws}], backends: [{name: echo}]}]
          backends:
          - {name: echo, endpoints: [%s]}
          - {name: plain, endpoints: [%s]}
        """.formatted(port, echo.endpoint(), plain.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    echo.close();
    plain.close();
  }

  /** Collects text messages and the close. */
  static final class Recorder implements WebSocket.Listener {
    final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      messages.add(data.toString());
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.complete(-1);
    }
  }

  @Test
  void webSocketMessagesFlowBothWaysThroughTheTunnel() throws Exception {
    Recorder rec = new Recorder();
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), rec).get(5, TimeUnit.SECONDS);
    List<String> sent = new ArrayList<>();
    List<String> got = new ArrayList<>();
    // all sent before any is read back: every message must come through, whole and in order
    for (int i = 0; i < 50; i++) {
      sent.add("echo: hello " + i);
      ws.sendText("hello " + i, true).get(5, TimeUnit.SECONDS);
    }
    for (int i = 0; i < 50; i++) {
      got.add(rec.messages.poll(5, TimeUnit.SECONDS));
    }
    assertThat(got).containsExactlyElementsOf(sent);
    assertThat(rec.messages).isEmpty();
    // The client timeout (200 ms) does not apply to the tunnel: its own timeout (1 s) does.
    Thread.sleep(500);
    ws.sendText("still there?", true).get(5, TimeUnit.SECONDS);
    assertThat(rec.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("echo: still there?");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    assertThat(rec.closed.get(5, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(2)).untilAsserted(() ->
        assertThat(proxy.accessLog()).anySatisfy(l -> assertThat(l).contains(" 101 ").contains("\"GET /ws HTTP/1.1\"")));
  }

  @Test
  void anIdleTunnelIsClosedAfterTheTunnelTimeout() throws Exception {
    Recorder rec = new Recorder();
    HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), rec).get(5, TimeUnit.SECONDS);
    long start = System.nanoTime();
    rec.closed.get(10, TimeUnit.SECONDS);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(800L, 5000L);
  }

  @Test
  void plainRequestsStillWorkBesideTunnels() {
    assertThat(proxy.get(port, "/other").body()).isEqualTo("plain");
  }
}
