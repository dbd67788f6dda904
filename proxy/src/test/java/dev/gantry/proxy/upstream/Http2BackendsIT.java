package dev.gantry.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.proxy.testing.H2Backend;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawH2;
import dev.gantry.proxy.testing.RawH2.Block;
import dev.gantry.proxy.testing.RawH2.Frame;
import dev.gantry.proxy.testing.RawHttp;
import dev.gantry.proxy.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.gantry.proxy.testing.TestCertificates.KeyFormat;
import dev.gantry.proxy.testing.TestCertificates.KeyType;

/**
 * Backends of protocol H2C: real HTTP/2 servers on 127.0.0.1 behind HTTP and HTTPS listeners, reached by
 * HTTP/1.1 and HTTP/2 clients: translation both ways, multiplexing within the stream limit, trailers,
 * trailers-only responses, GOAWAY, resets and refused streams.
 */
class Http2BackendsIT {

  static final TestCertificates.Authority LISTENER_CA = TestCertificates.authority("Listener CA");

  @TempDir
  Path dir;
  final List<AutoCloseable> closing = new ArrayList<>();
  ProxyFixture proxy = ProxyFixture.start();
  int http = Ports.free();
  int https = Ports.free();

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  H2Backend backend(int maxConcurrentStreams) {
    H2Backend b = H2Backend.start("h2", null, maxConcurrentStreams);
    closing.add(b);
    return b;
  }

  /** An HTTP and an HTTPS listener in front of {@code backend} (protocol H2C); {@code extra} goes in the spec. */
  void serve(H2Backend backend, String extra) {
    Path[] listenerCert = LISTENER_CA.issue("localhost", KeyType.EC, "localhost").write(dir, "listener",
        KeyFormat.PKCS8);
    proxy.apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: multiplexed}
        spec:
          listeners:
          - {name: http, port: %d, protocol: HTTP, defaultBackend: app}
          - name: https
            port: %d
            protocol: HTTPS
            defaultBackend: app
            tls: {certificates: [{certFile: %s, keyFile: %s}]}
          backends:
          - name: app
            protocol: H2C
            endpoints: [%s]
        %s""".formatted(http, https, listenerCert[0], listenerCert[1], backend.endpoint(), extra.indent(2)));
  }

  @Test
  void anHttp11RequestReachesTheBackendAsHttp2WithSchemeAuthorityAndNoHopByHopFields() {
    H2Backend b = backend(0);
    serve(b, "");

    RawHttp.Response r;
    try (RawHttp c = new RawHttp(http)) {
      r = c.send("GET /echo?q=1 HTTP/1.1\r\nHost: shop.example:8080\r\nConnection: keep-alive, x-hop\r\n"
          + "x-hop: 1\r\nKeep-Alive: timeout=5\r\nTE: trailers, deflate\r\nx-end: 2\r\n\r\n").read();
    }

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("h2 GET /echo?q=1 shop.example:8080 http body= trailers={}");
    H2Backend.Seen seen = b.seen().get(0);
    assertThat(seen.headers().contains("connection")).isFalse();
    assertThat(seen.headers().contains("keep-alive")).isFalse();
    assertThat(seen.headers().contains("x-hop")).isFalse();
    assertThat(seen.headers().contains("host")).isFalse();
    assertThat(String.valueOf(seen.headers().get("te"))).as("the only TE HTTP/2 allows").isEqualTo("trailers");
    assertThat(String.valueOf(seen.headers().get("x-end"))).isEqualTo("2");
    assertThat(seen.headers().names().stream().map(CharSequence::toString)).noneMatch(n -> n.startsWith("x-http2"));
  }

  @Test
  void http2ClientsOverTlsAndCleartextReachTheBackend() throws Exception {
    H2Backend b = backend(0);
    serve(b, "");

    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
        .sslContext(TestCertificates.clientContext(LISTENER_CA)).connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> overTls = h2.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + https + "/tls"))
        .POST(HttpRequest.BodyPublishers.ofString("payload")).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> cleartext = h2.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/h2c"))
        .build(), HttpResponse.BodyHandlers.ofString());

    assertThat(overTls.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(overTls.statusCode()).isEqualTo(200);
    assertThat(overTls.body()).isEqualTo("h2 POST /tls 127.0.0.1:" + https + " http body=payload trailers={}");
    assertThat(cleartext.statusCode()).isEqualTo(200);
    assertThat(cleartext.body()).isEqualTo("h2 GET /h2c 127.0.0.1:" + http + " http body= trailers={}");
  }

  @Test
  void concurrentRequestsShareOneConnectionUpToTheServersStreamLimitThenASecondOpens() throws Exception {
    H2Backend b = backend(3);
    serve(b, "");

    try (RawH2 c = RawH2.connect(https)) {
      for (int i = 0; i < 5; i++) {
        c.write(RawH2.headers(1 + 2 * i, true, Block.get("/hold").bytes()));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> b.heldCount() == 5);
      assertThat(b.connections()).isEqualTo(2);
      assertThat(b.maxActiveStreamsPerConnection()).isEqualTo(3);

      b.releaseHeld();
      assertThat(responses(c, 5).values()).hasSize(5).allMatch(r -> r.equals("200 held"));
    }
  }

  @Test
  void withoutAServerLimitAHundredStreamsGoOnOneConnection() throws Exception {
    H2Backend b = backend(0);
    serve(b, "");

    try (RawH2 c = RawH2.connect(https)) {
      for (int i = 0; i < 101; i++) {
        c.write(RawH2.headers(1 + 2 * i, true, Block.get("/hold").bytes()));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> b.heldCount() == 101);
      assertThat(b.maxActiveStreamsPerConnection()).isEqualTo(100);
      assertThat(b.connections()).isEqualTo(2);
      b.releaseHeld();
      assertThat(responses(c, 101).values()).hasSize(101).allMatch(r -> r.equals("200 held"));
    }
  }

  @Test
  void aStreamWhoseClientDoesNotReadLeavesTheOtherStreamsOfItsConnectionFlowing() throws Exception {
    H2Backend b = backend(0);
    serve(b, "");

    try (RawH2 c = RawH2.connect(https)) {
      // The client's connection window is wide open; stream 1's own window (64 KiB) is never replenished.
      c.write(RawH2.frame(RawH2.WINDOW_UPDATE, 0, 0, java.nio.ByteBuffer.allocate(4).putInt(64 << 20).array()),
          RawH2.headers(1, true, Block.get("/big").bytes()));
      await().atMost(Duration.ofSeconds(5)).until(() -> b.seen().size() == 1);
      Thread.sleep(300); // for the windows to fill
      c.write(RawH2.headers(3, true, Block.get("/other").bytes()));
      assertThat(c.response(3)).isEqualTo("200 h2 GET /other localhost http body= trailers={}");
      assertThat(b.connections()).as("both streams on one backend connection").isEqualTo(1);
    }
  }

  @Test
  void trailersPassBothWaysForAnHttp2Client() throws IOException {
    H2Backend b = backend(0);
    serve(b, "");

    try (RawH2 c = RawH2.connect(https)) {
      c.write(RawH2.headers(1, false, Block.request("POST", "/upload").add("te", "trailers").bytes()),
          RawH2.frame(RawH2.DATA, 0, 1, "data".getBytes(StandardCharsets.US_ASCII)),
          RawH2.headers(1, true, new Block().add("x-sum", "7").bytes()));
      assertThat(c.response(1)).isEqualTo("200 h2 POST /upload localhost http body=data trailers={x-sum=7}");

      c.write(RawH2.headers(3, true, Block.get("/trailers").add("te", "trailers").bytes()));
      List<Frame> frames = c.readUntil(RawH2.HEADERS, 3).stream().filter(f -> f.stream() == 3).toList();
      assertThat(frames).extracting(Frame::type).containsExactly(RawH2.HEADERS);
      List<Frame> rest = new ArrayList<>();
      Frame f;
      while ((f = c.read()) != null) {
        if (f.stream() == 3) {
          rest.add(f);
          if ((f.flags() & RawH2.END_STREAM) != 0) {
            break;
          }
        }
      }
      Frame trailers = rest.get(rest.size() - 1);
      assertThat(trailers.type()).isEqualTo(RawH2.HEADERS);
      assertThat(String.valueOf(trailers.headers().get("grpc-status"))).isEqualTo("0");
      assertThat(String.valueOf(trailers.headers().get("x-checksum"))).isEqualTo("42");
    }
  }

  @Test
  void trailersPassBothWaysForAChunkedHttp11Client() throws IOException {
    H2Backend b = backend(0);
    serve(b, "");

    try (RawHttp c = new RawHttp(http)) {
      c.send("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTE: trailers\r\n\r\n"
          + "4\r\ndata\r\n0\r\nx-sum: 7\r\n\r\n");
      assertThat(c.read().body()).isEqualTo("h2 POST /upload a http body=data trailers={x-sum=7}");

      c.send("GET /trailers HTTP/1.1\r\nHost: a\r\nTE: trailers\r\n\r\n");
      String raw = readUntilBlankLineAfterLastChunk(c.socket().getInputStream());
      assertThat(raw).contains("transfer-encoding: chunked").contains("with trailers")
          .endsWith("0\r\ngrpc-status: 0\r\nx-checksum: 42\r\n\r\n");
    }
  }

  @Test
  void aTrailersOnlyResponseReachesAnHttp2ClientAsOneHeadersFrameEndingTheStream() throws IOException {
    H2Backend b = backend(0);
    serve(b, "");

    try (RawH2 c = RawH2.connect(https)) {
      c.write(RawH2.headers(1, true, Block.request("POST", "/trailers-only").add("te", "trailers").bytes()));
      List<Frame> frames = new ArrayList<>();
      Frame f;
      while ((f = c.read()) != null) {
        if (f.stream() == 1) {
          frames.add(f);
          if ((f.flags() & RawH2.END_STREAM) != 0 || f.type() == RawH2.RST_STREAM) {
            break;
          }
        }
      }
      assertThat(frames).hasSize(1);
      Frame only = frames.get(0);
      assertThat(only.type()).isEqualTo(RawH2.HEADERS);
      assertThat(only.flags() & RawH2.END_STREAM).isEqualTo(RawH2.END_STREAM);
      assertThat(String.valueOf(only.headers().status())).isEqualTo("200");
      assertThat(String.valueOf(only.headers().get("grpc-status"))).isEqualTo("5");
      assertThat(String.valueOf(only.headers().get("grpc-message"))).isEqualTo("not found");
    }
    // An HTTP/1.1 client gets the same head and an empty body.
    HttpResponse<String> r = proxy.get(http, "/trailers-only");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("grpc-status")).hasValue("5");
    assertThat(r.body()).isEmpty();
  }

  @Test
  void aGoAwayLetsStreamsInFlightFinishAndSendsNewRequestsToANewConnection() throws Exception {
    H2Backend b = backend(0);
    serve(b, "");

    try (RawH2 c = RawH2.connect(https)) {
      for (int i = 0; i < 3; i++) {
        c.write(RawH2.headers(1 + 2 * i, true, Block.get("/hold").bytes()));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> b.heldCount() == 3);
      b.goAwayAll();
      Thread.sleep(200);
      c.write(RawH2.headers(7, true, Block.get("/after").bytes()));
      assertThat(c.response(7)).startsWith("200 h2 GET /after");
      assertThat(b.connections()).isEqualTo(2);
      b.releaseHeld();
      assertThat(responses(c, 3).values()).hasSize(3).allMatch(r -> r.equals("200 held"));
    }
  }

  @Test
  void repeatedGoAwaysUnderTrafficFailNoRequest() throws Exception {
    H2Backend b = backend(0);
    serve(b, "");
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < 10; i++) {
        String path = i == 5 ? "/goaway" : "/r" + round + "-" + i;
        answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + path))
            .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString()));
      }
      b.goAwayAll();
      Thread.sleep(20);
    }

    for (CompletableFuture<HttpResponse<String>> a : answers) {
      assertThat(a.get().statusCode()).as("%s %s", a.get().body(), proxy.accessLog()).isEqualTo(200);
    }
    assertThat(b.connections()).isGreaterThan(2);
  }

  @Test
  void aResetStreamIsRetriedForAnIdempotentRequestThenAnswered502AndNeverRetriedForAPost() throws Exception {
    H2Backend b = backend(0);
    serve(b, """
        routes: [{name: all, listeners: [http], paths: [{type: Prefix, value: /}], backends: [{name: app}],
                  retries: 2}]""");

    assertThat(proxy.get(http, "/reset").statusCode()).isEqualTo(502);
    assertThat(b.streams()).as("the first attempt and two retries").isEqualTo(3);

    HttpResponse<String> post = proxy.client().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http
        + "/reset")).POST(HttpRequest.BodyPublishers.ofString("once")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(502);
    assertThat(b.streams()).isEqualTo(4);
  }

  @Test
  void aRefusedStreamIsSentAgainEvenForAPostWithItsBody() throws Exception {
    H2Backend b = backend(0);
    serve(b, "");
    b.refuseNext(1);

    HttpResponse<String> post = proxy.client().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http
        + "/order")).POST(HttpRequest.BodyPublishers.ofString("book")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(post.body()).isEqualTo("h2 POST /order 127.0.0.1:" + http + " http body=book trailers={}");
    assertThat(b.streams()).isEqualTo(2);
    assertThat(proxy.metric("gantry_backend_retries_total{lb=\"multiplexed\",backend=\"app\",reason=\"reset\"}"))
        .isEqualTo(1);
  }

  @Test
  void aRefusedConnectionIsRetriedOnAnotherEndpointAndAloneIsA502() {
    H2Backend b = backend(0);
    int dead = Ports.free();
    proxy.apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: multiplexed}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: app}]
          backends:
          - {name: app, protocol: H2C, endpoints: [{address: 127.0.0.1, port: %d}, %s]}
        """.formatted(http, dead, b.endpoint()));

    for (int i = 0; i < 4; i++) {
      HttpResponse<String> r = proxy.client().sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http
          + "/p" + i)).POST(HttpRequest.BodyPublishers.ofString("b")).build(), HttpResponse.BodyHandlers.ofString())
          .join();
      assertThat(r.statusCode()).isEqualTo(200);
    }
    assertThat(proxy.metric("gantry_backend_retries_total{lb=\"multiplexed\",backend=\"app\",reason=\"connect\"}"))
        .isPositive();

    proxy.apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: multiplexed}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP, defaultBackend: app}]
          backends: [{name: app, protocol: H2C, endpoints: [{address: 127.0.0.1, port: %d}]}]
        """.formatted(http, dead));
    assertThat(proxy.get(http, "/").statusCode()).isEqualTo(502);
  }

  @Test
  void responseHeadsAsLargeAsFromAnHttp11BackendPassAndLargerOnesAre502() {
    H2Backend b = backend(0);
    serve(b, "");

    HttpResponse<String> large = proxy.get(http, "/head/20000");
    assertThat(large.statusCode()).isEqualTo(200);
    assertThat(large.headers().firstValue("x-large")).hasValueSatisfying(v -> assertThat(v).hasSize(20000));
    assertThat(proxy.get(http, "/head/70000").statusCode()).isEqualTo(502);
  }

  @Test
  void a503IsRetriedOnANewStream() {
    H2Backend b = backend(0);
    serve(b, "");

    assertThat(proxy.get(http, "/status/503").statusCode()).isEqualTo(503);
    assertThat(b.seen()).hasSizeGreaterThan(1);
    assertThat(b.connections()).isEqualTo(1);
  }

  static String readUntilBlankLineAfterLastChunk(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      out.write(c);
      String s = out.toString(StandardCharsets.ISO_8859_1);
      int last = s.indexOf("\r\n0\r\n");
      if (last >= 0 && s.endsWith("\r\n\r\n") && s.length() > last + 5) {
        return s;
      }
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** Status and body of the next {@code n} streams to end, by stream id. */
  static Map<Integer, String> responses(RawH2 c, int n) {
    Map<Integer, String> status = new TreeMap<>();
    Map<Integer, StringBuilder> bodies = new TreeMap<>();
    Map<Integer, String> done = new TreeMap<>();
    Frame f;
    while (done.size() < n && (f = c.read()) != null) {
      if (f.type() == RawH2.HEADERS && !status.containsKey(f.stream())) {
        status.put(f.stream(), String.valueOf(f.headers().status()));
      } else if (f.type() == RawH2.DATA) {
        bodies.computeIfAbsent(f.stream(), k -> new StringBuilder())
            .append(new String(f.payload(), StandardCharsets.ISO_8859_1));
      } else if (f.type() == RawH2.RST_STREAM) {
        done.put(f.stream(), "RST_STREAM " + f.errorCode());
        continue;
      }
      if (f.stream() != 0 && (f.flags() & RawH2.END_STREAM) != 0) {
        done.put(f.stream(), status.get(f.stream()) + " " + bodies.getOrDefault(f.stream(), new StringBuilder()));
      }
    }
    return done;
  }
}
