package dev.gantry.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.ScriptedBackend;
import dev.gantry.proxy.testing.TestBackend;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries: a failed connect always; a reset or a 502/503 only for idempotent methods whose body can be sent
 * again, and never once the client has seen a byte of the answer.
 */
class RetriesIT {

  TestBackend good;
  ScriptedBackend resetting;
  TestBackend unavailable;
  ProxyFixture proxy;
  int port;
  ScriptedBackend closeLater;

  @BeforeEach
  void start() {
    good = TestBackend.start("good");
    // Reads the request, then closes without a word.
    resetting = new ScriptedBackend((head, in, out) -> { });
    unavailable = TestBackend.start("unavailable")
        .respondWith(req -> TestBackend.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "busy"));
    port = Ports.free();
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    good.close();
    resetting.close();
    if (closeLater != null) {
      closeLater.close();
    }
    unavailable.close();
  }

  /** One backend: the bad endpoint first in round robin, the good one second. */
  void serve(String badEndpoint, int retries) {
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: retries}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP}]
          routes: [{name: all, backends: [{name: web}], retries: %d}]
          backends:
          - name: web
            endpoints: [%s, %s]
        """.formatted(port, retries, badEndpoint, good.endpoint()));
  }

  RawHttp.Response send(String request) {
    try (RawHttp c = new RawHttp(port)) {
      return c.send(request).read();
    }
  }

  String metrics() {
    return proxy.admin("/metrics");
  }

  // The bad endpoint comes first in round robin, and a retry takes the next turn: so every request tries
  // the bad endpoint first until passive health ejects it (after 5 failures in a row).

  @Test
  void aResetIsNotRetriedForAPost() {
    serve(resetting.endpoint(), 2);
    assertThat(send("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi").status()).isEqualTo(502);
    assertThat(send("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi").status()).isEqualTo(200);
    assertThat(resetting.requests() + good.seen().size()).isEqualTo(2);
  }

  @Test
  void aResetIsRetriedForIdempotentRequests() {
    serve(resetting.endpoint(), 2);
    for (int i = 0; i < 3; i++) {
      RawHttp.Response r = send("GET /x HTTP/1.1\r\nHost: h\r\n\r\n");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("good");
    }
    RawHttp.Response put = send("PUT /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello");
    assertThat(put.status()).isEqualTo(200);
    // The body was sent again, whole.
    assertThat(good.last().body()).isEqualTo("hello");
    assertThat(resetting.requests()).isEqualTo(4);
    assertThat(metrics()).contains("gantry_backend_retries_total{lb=\"retries\",backend=\"web\",reason=\"reset\"} 4");
  }

  @Test
  void unavailableAnswersAreNotRetriedForAPost() {
    serve(unavailable.endpoint(), 2);
    RawHttp.Response r = send("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("busy");
  }

  @Test
  void unavailableAnswersAreRetriedElsewhereForIdempotentRequests() {
    serve(unavailable.endpoint(), 2);
    for (int i = 0; i < 3; i++) {
      assertThat(send("GET /x HTTP/1.1\r\nHost: h\r\n\r\n").body()).isEqualTo("good");
    }
    assertThat(unavailable.seen()).hasSize(3);
    assertThat(metrics()).contains("gantry_backend_retries_total{lb=\"retries\",backend=\"web\",reason=\"status\"} 3");
  }

  @Test
  void withoutRetriesTheFailureReachesTheClient() {
    serve(unavailable.endpoint(), 0);
    assertThat(send("GET /x HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(503);
    assertThat(send("GET /x HTTP/1.1\r\nHost: h\r\n\r\n").status()).isEqualTo(200);
  }

  @Test
  void aBodyTooLargeToReplayIsNotRetried() {
    // Reads the whole body, then hangs up: more than the replay buffer holds was sent by then.
    ScriptedBackend swallowing = new ScriptedBackend((head, in, out) -> in.readNBytes(100 * 1024));
    closeLater = swallowing;
    serve(swallowing.endpoint(), 2);
    String big = "b".repeat(100 * 1024);
    RawHttp.Response r = send("PUT /x HTTP/1.1\r\nHost: h\r\nContent-Length: " + big.length() + "\r\n\r\n" + big);
    assertThat(r.status()).isEqualTo(502);
    r = send("PUT /x HTTP/1.1\r\nHost: h\r\nContent-Length: " + big.length() + "\r\n\r\n" + big);
    assertThat(r.status()).isEqualTo(200);
    assertThat(good.last().body()).hasSize(big.length());
  }

  @Test
  void aConnectFailureIsRetriedForEveryMethodAndCounted() {
    serve("{address: 127.0.0.1, port: " + Ports.free() + "}", 1);
    for (int i = 0; i < 4; i++) {
      assertThat(send("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi").status()).isEqualTo(200);
    }
    await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(proxy.accessLog())
        .anySatisfy(l -> assertThat(l).contains(" web/127.0.0.1:" + good.port() + " ").contains(" -- 1 ")));
    assertThat(metrics()).containsPattern("gantry_backend_retries_total\\{lb=\"retries\",backend=\"web\",reason=\"connect\"} [1-4]");
  }

  @Test
  void nothingIsRetriedOnceTheAnswerStarted() {
    ScriptedBackend halfAnswer = new ScriptedBackend((head, in, out) -> {
      out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    });
    try {
      serve(halfAnswer.endpoint(), 2);
      try (RawHttp c = new RawHttp(port)) {
        c.send("GET /x HTTP/1.1\r\nHost: h\r\n\r\n");
        byte[] all = c.socket().getInputStream().readAllBytes();
        assertThat(new String(all, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200").endsWith("partial");
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
      assertThat(halfAnswer.requests()).isEqualTo(1);
    } finally {
      halfAnswer.close();
    }
  }
}
