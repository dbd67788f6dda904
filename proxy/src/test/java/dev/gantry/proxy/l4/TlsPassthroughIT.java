package dev.gantry.proxy.l4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gantry.proxy.testing.ClientHelloBytes;
import dev.gantry.proxy.testing.ExternalCommand;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.TcpBackend;
import dev.gantry.proxy.testing.TestCertificates;
import dev.gantry.proxy.testing.TestCertificates.Authority;
import dev.gantry.proxy.testing.TestCertificates.KeyType;
import dev.gantry.proxy.testing.TlsBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS listeners: the ClientHello is read, never answered; the backend chosen by its SNI does the handshake,
 * so clients see the backend's certificate. Real TLS servers and clients (the JDK's, openssl s_client).
 */
class TlsPassthroughIT {

  @TempDir
  static Path dir;

  static Authority ca;
  static TlsBackend a;
  static TlsBackend wild;
  static TlsBackend fallback;
  static TcpBackend recorder;
  static final LinkedBlockingQueue<byte[]> recorded = new LinkedBlockingQueue<>();
  static ProxyFixture proxy;
  static int tlsPort;
  static int strictPort;
  static int rawPort;

  @BeforeAll
  static void start() {
    ca = TestCertificates.authority("Passthrough Test Root");
    a = new TlsBackend("a", ca.issue("a.example.com", KeyType.EC, "a.example.com"));
    wild = new TlsBackend("wild", ca.issue("wildcard.example.com", KeyType.EC, "*.example.com"));
    fallback = new TlsBackend("fallback", ca.issue("fallback.test", KeyType.EC, "fallback.test"));
    recorder = new TcpBackend(s -> recorded.add(s.getInputStream().readAllBytes()));
    tlsPort = Ports.free();
    strictPort = Ports.free();
    rawPort = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: pass}
        spec:
          timeouts: {client: 1s}
          listeners:
          - {name: tls, port: %d, protocol: TLS, defaultBackend: fallback}
          - {name: strict, port: %d, protocol: TLS}
          - {name: raw, port: %d, protocol: TLS, defaultBackend: recorder}
          routes:
          - {name: exact, listeners: [tls, strict], hosts: [a.example.com], backends: [{name: a}]}
          - {name: wildcard, listeners: [tls, strict], hosts: ["*.example.com"], backends: [{name: wild}]}
          backends:
          - {name: a, endpoints: [%s]}
          - {name: wild, endpoints: [%s]}
          - {name: fallback, endpoints: [%s]}
          - {name: recorder, endpoints: [%s]}
        """.formatted(tlsPort, strictPort, rawPort, a.endpoint(), wild.endpoint(), fallback.endpoint(),
        recorder.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    a.close();
    wild.close();
    fallback.close();
    recorder.close();
  }

  /** What a client with {@code sni} (none when null) sees: the server's certificate and its first line. */
  record Seen(String certificate, String line) {
  }

  static Seen connect(int port, String sni) throws IOException {
    // A new context each time: the JDK resumes sessions per host and port, and sends the SNI of the session
    // it resumes, not the one asked for.
    SSLContext client = TestCertificates.clientContext(ca);
    try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(15_000);
      SSLParameters p = s.getSSLParameters();
      p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
      s.setSSLParameters(p);
      s.startHandshake();
      X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
      String line = readLine(s.getInputStream());
      s.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      assertThat(readLine(s.getInputStream())).isEqualTo("ping");
      return new Seen(TestCertificates.commonName(peer), line);
    }
  }

  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      b.write(c);
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void theClientSeesTheCertificateOfTheBackendItsSniChose() throws IOException {
    assertThat(connect(tlsPort, "a.example.com")).isEqualTo(new Seen("a.example.com", "a"));
    assertThat(connect(tlsPort, "shop.example.com")).isEqualTo(new Seen("wildcard.example.com", "wild"));
    assertThat(connect(tlsPort, "x.y.example.com")).isEqualTo(new Seen("wildcard.example.com", "wild"));
  }

  @Test
  void noSniOrNoMatchingRouteGoesToTheDefaultBackend() throws IOException {
    assertThat(connect(tlsPort, null)).isEqualTo(new Seen("fallback.test", "fallback"));
    assertThat(connect(tlsPort, "example.com")).isEqualTo(new Seen("fallback.test", "fallback"));
    assertThat(connect(tlsPort, "other.test")).isEqualTo(new Seen("fallback.test", "fallback"));
  }

  @Test
  void withoutADefaultBackendAnUnmatchedConnectionIsClosed() throws IOException {
    assertThat(connect(strictPort, "a.example.com").line()).isEqualTo("a");
    assertThatThrownBy(() -> connect(strictPort, "other.test")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> connect(strictPort, null)).isInstanceOf(IOException.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.accessLog().stream()
        .anyMatch(l -> l.contains(" pass/strict - -/- -1/") && l.contains(" PR 0 TLS \"other.test\"")));
  }

  @Test
  void opensslSeesTheBackendCertificateThroughTheProxy() throws IOException {
    Assumptions.assumeTrue(ExternalCommand.available("openssl"), "openssl is not installed");
    Path caFile = ca.write(dir.resolve("ca.pem"));
    ExternalCommand.Result r = ExternalCommand.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + tlsPort,
        "-servername", "a.example.com", "-CAfile", caFile.toString(), "-verify_return_error"), "");
    assertThat(r.stdout()).contains("subject=CN = a.example.com").contains("Verify return code: 0 (ok)");
    ExternalCommand.Result w = ExternalCommand.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + tlsPort,
        "-servername", "www.example.com", "-CAfile", caFile.toString()), "");
    assertThat(w.stdout()).contains("subject=CN = wildcard.example.com");
  }

  @Test
  void theClientHelloReachesTheBackendIntactHoweverItIsCut() throws Exception {
    byte[] hello = ClientHelloBytes.record("a.example.com");
    assertThat(sendInPieces(hello, hello.length)).isEqualTo(hello);
    assertThat(sendInPieces(hello, 7)).isEqualTo(hello);
    // The same handshake message across several TLS records, each sent in pieces.
    byte[] fragmented = ClientHelloBytes.fragmented(hello, 100);
    assertThat(sendInPieces(fragmented, 13)).isEqualTo(fragmented);
  }

  /** Sends {@code bytes} to the raw listener in pieces of {@code size}; returns what the backend received. */
  static byte[] sendInPieces(byte[] bytes, int size) throws Exception {
    recorded.clear();
    try (Socket s = new Socket("127.0.0.1", rawPort)) {
      OutputStream out = s.getOutputStream();
      for (int i = 0; i < bytes.length; i += size) {
        out.write(bytes, i, Math.min(size, bytes.length - i));
        out.flush();
        Thread.sleep(3);
      }
      s.shutdownOutput();
      byte[] got = recorded.poll(15, TimeUnit.SECONDS);
      assertThat(got).as("bytes at the backend").isNotNull();
      return got;
    }
  }

  @Test
  void whatIsNoUsableClientHelloIsClosedAndNothingBreaks() throws Exception {
    byte[] hello = ClientHelloBytes.record("a.example.com");
    byte[] oversized = {22, 3, 1, 0x40, 0x00, 1, 0x01, (byte) 0x86, (byte) 0xA0};
    byte[] corrupt = hello.clone();
    corrupt[9 + 34] = (byte) 0xff;
    byte[] alert = {21, 3, 3, 0, 2, 2, 40};
    int acceptedBefore = recorder.accepted();
    for (byte[] bad : List.of("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), oversized,
        corrupt, alert)) {
      try (Socket s = new Socket("127.0.0.1", rawPort)) {
        // refused at once: the client timeout (1 s) would close the connection too, but later
        s.setSoTimeout(900);
        s.getOutputStream().write(bad);
        s.getOutputStream().write(new byte[20_000]);
        assertThat(readUntilClosed(s.getInputStream())).isTrue();
      }
    }
    assertThat(recorder.accepted()).isEqualTo(acceptedBefore);
    assertThat(connect(tlsPort, "a.example.com").line()).isEqualTo("a");
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.accessLog().stream()
        .filter(l -> l.contains(" pass/raw ") && l.contains(" PR 0 TLS")).count() >= 4);
  }

  /** True when the proxy closed (or reset) the connection; false when the socket's read timeout ran out first. */
  static boolean readUntilClosed(InputStream in) {
    try {
      while (in.read() >= 0) {
        // whatever is said before the close
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      // A reset is a close too.
      return true;
    }
  }

  @Test
  void aClientHelloThatNeverCompletesIsClosedAtTheClientTimeout() throws Exception {
    try (Socket s = new Socket("127.0.0.1", rawPort)) {
      s.setSoTimeout(15_000);
      long started = System.nanoTime();
      s.getOutputStream().write(new byte[] {22, 3, 1, 1, 0, 1});
      assertThat(readUntilClosed(s.getInputStream())).isTrue();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(800L, 10_000L);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.accessLog().stream()
        .anyMatch(l -> l.contains(" pass/raw ") && l.contains(" cR 0 TLS")));
  }

  @Test
  void connectionsAreCountedAndLoggedWithTheirServerName() throws IOException {
    connect(tlsPort, "a.example.com");
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.accessLog().stream()
        .anyMatch(l -> l.contains(" pass/tls exact a/127.0.0.1:" + a.port()) && l.endsWith(" -- 0 TLS \"a.example.com\"")));
    assertThat(proxy.admin("/metrics")).contains("gantry_tcp_connections_total{lb=\"pass\",listener=\"tls\",backend=\"a\"}");
    assertThat(Files.exists(dir)).isTrue();
  }
}
