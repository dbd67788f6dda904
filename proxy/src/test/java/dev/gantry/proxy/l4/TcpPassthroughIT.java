package dev.gantry.proxy.l4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.TcpBackend;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** TCP listeners over real sockets: bytes through untouched, both half-closes, timeouts, balance, retries. */
class TcpPassthroughIT {

  final List<AutoCloseable> closing = new ArrayList<>();
  ProxyFixture proxy;

  @AfterEach
  void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  <T extends AutoCloseable> T keep(T c) {
    closing.add(c);
    return c;
  }

  /** A proxy with one TCP listener to a backend of {@code endpoints}; returns the listener's port. */
  int start(String timeouts, String endpoints) {
    int port = Ports.free();
    proxy = keep(ProxyFixture.start()).apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: l4}
        spec:
          timeouts: {%s}
          listeners: [{name: tcp, port: %d, protocol: TCP, defaultBackend: db}]
          backends: [{name: db, endpoints: [%s]}]
        """.formatted(timeouts, port, endpoints));
    return port;
  }

  static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(15_000);
    return s;
  }

  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      b.write(c);
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
  }

  @Test
  void aLargeTransferIsRelayedByteForByteBothWays() throws Exception {
    TcpBackend echo = keep(TcpBackend.echo());
    int port = start("", echo.endpoint());
    long total = 100L << 20;
    try (Socket s = connect(port)) {
      s.setSoTimeout(60_000);
      MessageDigest sent = MessageDigest.getInstance("SHA-256");
      MessageDigest received = MessageDigest.getInstance("SHA-256");
      CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
        long n = 0;
        byte[] buf = new byte[64 * 1024];
        try {
          InputStream in = s.getInputStream();
          int r;
          while ((r = in.read(buf)) > 0) {
            received.update(buf, 0, r);
            n += r;
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        return n;
      });
      Random random = new Random(42);
      byte[] chunk = new byte[48 * 1024 + 7];
      OutputStream out = s.getOutputStream();
      for (long written = 0; written < total; ) {
        random.nextBytes(chunk);
        int n = (int) Math.min(chunk.length, total - written);
        out.write(chunk, 0, n);
        sent.update(chunk, 0, n);
        written += n;
      }
      s.shutdownOutput();
      assertThat(reader.get(120, TimeUnit.SECONDS)).isEqualTo(total);
      assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.accessLog().stream().anyMatch(l -> l.contains(" TCP")));
    assertThat(proxy.accessLog().get(0)).contains(" l4/tcp - db/127.0.0.1:" + echo.port())
        .contains(" " + total + " " + total + " -- 0 TCP");
  }

  @Test
  void aClientHalfCloseReachesTheBackendAndItsAnswerStillComesBack() throws Exception {
    TcpBackend counter = keep(new TcpBackend(s -> {
      long n = s.getInputStream().readAllBytes().length;
      // The client has shut its output down by now: answer on the half that is still open.
      s.getOutputStream().write(("got " + n + " bytes\n").getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
    }));
    int port = start("", counter.endpoint());
    try (Socket s = connect(port)) {
      s.getOutputStream().write(new byte[1000]);
      s.shutdownOutput();
      assertThat(readAll(s.getInputStream())).isEqualTo("got 1000 bytes\n");
    }
  }

  @Test
  void aBackendHalfCloseReachesTheClientWhichCanStillSend() throws Exception {
    LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
    TcpBackend early = keep(new TcpBackend(s -> {
      s.getOutputStream().write("that is all from me\n".getBytes(StandardCharsets.US_ASCII));
      s.shutdownOutput();
      got.add(readAll(s.getInputStream()));
    }));
    int port = start("", early.endpoint());
    try (Socket s = connect(port)) {
      InputStream in = s.getInputStream();
      assertThat(readLine(in)).isEqualTo("that is all from me");
      assertThat(in.read()).isEqualTo(-1);
      s.getOutputStream().write("but I still have something to say".getBytes(StandardCharsets.US_ASCII));
      s.shutdownOutput();
      assertThat(got.poll(15, TimeUnit.SECONDS)).isEqualTo("but I still have something to say");
    }
  }

  @Test
  void eachConnectionIsBalancedOverTheEndpoints() throws Exception {
    TcpBackend a = keep(TcpBackend.greeting("a"));
    TcpBackend b = keep(TcpBackend.greeting("b"));
    int port = start("", a.endpoint() + ", " + b.endpoint());
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      try (Socket s = connect(port)) {
        seen.add(readLine(s.getInputStream()));
      }
    }
    assertThat(seen).containsExactlyInAnyOrder("a", "b", "a", "b");
  }

  @Test
  void aRefusedConnectIsRetriedOnAnotherEndpoint() throws Exception {
    TcpBackend good = keep(TcpBackend.greeting("good"));
    int dead = Ports.free();
    int port = start("", "{address: 127.0.0.1, port: " + dead + "}, " + good.endpoint());
    for (int i = 0; i < 4; i++) {
      try (Socket s = connect(port)) {
        assertThat(readLine(s.getInputStream())).isEqualTo("good");
      }
    }
    assertThat(proxy.admin("/metrics"))
        .contains("gantry_backend_connect_failures_total{lb=\"l4\",backend=\"db\",endpoint=\"127.0.0.1:" + dead + "\"}");
  }

  @Test
  void withNoEndpointToTakeItTheClientIsClosed() throws Exception {
    int dead = Ports.free();
    int port = start("", "{address: 127.0.0.1, port: " + dead + "}");
    try (Socket s = connect(port)) {
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> !proxy.accessLog().isEmpty());
    assertThat(proxy.accessLog().get(0)).contains(" db/127.0.0.1:" + dead + " -1/").contains(" SC 2 TCP");
  }

  @Test
  void aBackendWhoseEndpointsAllWeighNothingClosesTheClient() throws Exception {
    TcpBackend drained = keep(TcpBackend.greeting("drained"));
    int port = start("", "{address: 127.0.0.1, port: " + drained.port() + ", weight: 0}");
    try (Socket s = connect(port)) {
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(drained.accepted()).isZero();
  }

  @Test
  void aConnectThatHangsEndsAtTheConnectTimeout() throws Exception {
    // A listener that never accepts and whose accept queue is full drops further SYNs: connecting hangs.
    ServerSocket full = keep(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
    List<Socket> fillers = new ArrayList<>();
    closing.add(() -> {
      for (Socket f : fillers) {
        f.close();
      }
    });
    boolean hangs = false;
    for (int i = 0; i < 8 && !hangs; i++) {
      Socket probe = new Socket();
      try {
        probe.connect(new InetSocketAddress("127.0.0.1", full.getLocalPort()), 300);
        fillers.add(probe);
      } catch (SocketTimeoutException e) {
        hangs = true;
        probe.close();
      }
    }
    Assumptions.assumeTrue(hangs, "this kernel accepts connections beyond the backlog");
    int port = start("connect: 300ms", "{address: 127.0.0.1, port: " + full.getLocalPort() + "}");
    long started = System.nanoTime();
    try (Socket s = connect(port)) {
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(tookMillis).isBetween(800L, 10_000L);
    await().atMost(Duration.ofSeconds(10)).until(() -> !proxy.accessLog().isEmpty());
    assertThat(proxy.accessLog().get(0)).contains(" sC 2 TCP");
  }

  @Test
  void theTunnelTimeoutClosesAnIdleRelayButNotABusyOne() throws Exception {
    TcpBackend echo = keep(TcpBackend.echo());
    int port = start("tunnel: 600ms", echo.endpoint());
    try (Socket busy = connect(port); Socket idle = connect(port)) {
      for (int i = 0; i < 10; i++) {
        busy.getOutputStream().write('x');
        assertThat(busy.getInputStream().read()).isEqualTo('x');
        Thread.sleep(200);
      }
      // 2 s have passed: the idle relay is gone, the busy one still works.
      assertThat(idle.getInputStream().read()).isEqualTo(-1);
      busy.getOutputStream().write('y');
      assertThat(busy.getInputStream().read()).isEqualTo('y');
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.accessLog().stream().anyMatch(l -> l.contains(" cD ")));
  }

  @Test
  void aBackendThatDoesNotReadStopsTheClientInsteadOfFillingMemory() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong drained = new AtomicLong();
    TcpBackend slow = keep(new TcpBackend(s -> {
      release.await();
      byte[] buf = new byte[64 * 1024];
      int n;
      InputStream in = s.getInputStream();
      while ((n = in.read(buf)) > 0) {
        drained.addAndGet(n);
      }
    }));
    closing.add(release::countDown);
    int port = start("", slow.endpoint());
    long total = 256L << 20;
    AtomicLong written = new AtomicLong();
    long directBefore = usedDirectMemory();
    try (Socket s = connect(port)) {
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        byte[] chunk = new byte[64 * 1024];
        try {
          OutputStream out = s.getOutputStream();
          while (written.get() < total) {
            out.write(chunk);
            written.addAndGet(chunk.length);
          }
          s.shutdownOutput();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(3000);
      // Socket buffers on both sides take some megabytes; the proxy itself holds little more than its watermark.
      assertThat(written.get()).isLessThan(64L << 20);
      assertThat(usedDirectMemory() - directBefore).isLessThan(32L << 20);
      release.countDown();
      writer.get(120, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(60)).until(() -> drained.get() == total);
    }
  }

  static long usedDirectMemory() {
    return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
  }

  @Test
  void aTcpPortAddedByAReloadServesAtOnceWhileOpenRelaysKeepRunning() throws Exception {
    TcpBackend echo = keep(TcpBackend.echo());
    TcpBackend hello = keep(TcpBackend.greeting("new port"));
    int port = start("", echo.endpoint());
    try (Socket open = connect(port)) {
      open.getOutputStream().write('1');
      assertThat(open.getInputStream().read()).isEqualTo('1');
      int added = Ports.free();
      proxy.apply("""
          apiVersion: gantry.dev/v1alpha1
          kind: LoadBalancer
          metadata: {name: l4}
          spec:
            listeners:
            - {name: tcp, port: %d, protocol: TCP, defaultBackend: db}
            - {name: more, port: %d, protocol: TCP, defaultBackend: hello}
            backends:
            - {name: db, endpoints: [%s]}
            - {name: hello, endpoints: [%s]}
          """.formatted(port, added, echo.endpoint(), hello.endpoint()));
      try (Socket s = connect(added)) {
        assertThat(readLine(s.getInputStream())).isEqualTo("new port");
      }
      open.getOutputStream().write('2');
      assertThat(open.getInputStream().read()).isEqualTo('2');
    }
  }

  @Test
  void connectionsAndBytesAreCountedPerListenerAndBackend() throws Exception {
    TcpBackend echo = keep(TcpBackend.echo());
    int port = start("", echo.endpoint());
    try (Socket s = connect(port)) {
      s.getOutputStream().write("12345".getBytes(StandardCharsets.US_ASCII));
      s.shutdownOutput();
      assertThat(readAll(s.getInputStream())).isEqualTo("12345");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> !proxy.accessLog().isEmpty());
    String metrics = proxy.admin("/metrics");
    assertThat(metrics)
        .contains("gantry_tcp_connections_total{lb=\"l4\",listener=\"tcp\",backend=\"db\"} 1")
        .contains("gantry_tcp_connections_active{lb=\"l4\",listener=\"tcp\",backend=\"db\"} 0")
        .contains("gantry_tcp_bytes_received_total{lb=\"l4\",listener=\"tcp\",backend=\"db\"} 5")
        .contains("gantry_tcp_bytes_sent_total{lb=\"l4\",listener=\"tcp\",backend=\"db\"} 5")
        .contains("gantry_connections_total{lb=\"l4\",listener=\"tcp\"} 1")
        .contains("gantry_bytes_received_total{lb=\"l4\",listener=\"tcp\"} 5");
    assertThat(proxy.accessLog().get(0)).matches(
        "127\\.0\\.0\\.1:\\d+ \\[.+\\] l4/tcp - db/127\\.0\\.0\\.1:\\d+ \\d+/\\d+ 5 5 -- 0 TCP");
  }
}
