package dev.gantry.proxy.l4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.TcpBackend;
import dev.gantry.proxy.testing.TestCertificates;
import dev.gantry.proxy.testing.TestCertificates.Authority;
import dev.gantry.proxy.testing.TestCertificates.KeyFormat;
import dev.gantry.proxy.testing.TestCertificates.KeyType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS listeners with certificates terminate TLS: the proxy does the handshake with the certificate for the
 * ClientHello's SNI, the same SNI chooses the route, and the backend gets the decrypted bytes over plain TCP.
 * Real JDK TLS clients, plain TCP backends.
 */
class TlsTerminationIT {

  @TempDir
  static Path dir;

  static Authority ca;
  static TcpBackend a;
  static TcpBackend wild;
  static TcpBackend fallback;
  static TcpBackend recorder;
  static final LinkedBlockingQueue<byte[]> recorded = new LinkedBlockingQueue<>();
  static ProxyFixture proxy;
  static int terminatePort;
  static int recordPort;

  @BeforeAll
  static void start() {
    ca = TestCertificates.authority("Termination Test Root");
    Path[] exact = ca.issue("a.example.com", KeyType.EC, "a.example.com").write(dir, "a", KeyFormat.PKCS8);
    Path[] wildcard = ca.issue("wildcard.example.com", KeyType.RSA, "*.example.com")
        .write(dir, "wild", KeyFormat.PKCS8);
    a = TcpBackend.greeting("a");
    wild = TcpBackend.greeting("wild");
    fallback = TcpBackend.greeting("fallback");
    recorder = new TcpBackend(s -> recorded.add(s.getInputStream().readAllBytes()));
    terminatePort = Ports.free();
    recordPort = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: term}
        spec:
          timeouts: {client: 2s}
          listeners:
          - name: term
            port: %d
            protocol: TLS
            defaultBackend: fallback
            tls:
              certificates:
              - {certFile: '%s', keyFile: '%s'}
              - {certFile: '%s', keyFile: '%s'}
          - name: record
            port: %d
            protocol: TLS
            defaultBackend: recorder
            tls: {minVersion: "1.3", certificates: [{certFile: '%s', keyFile: '%s'}]}
          routes:
          - {name: exact, listeners: [term], hosts: [a.example.com], backends: [{name: a}]}
          - {name: wildcard, listeners: [term], hosts: ["*.example.com"], backends: [{name: wild}]}
          backends:
          - {name: a, endpoints: [%s]}
          - {name: wild, endpoints: [%s]}
          - {name: fallback, endpoints: [%s]}
          - {name: recorder, endpoints: [%s]}
        """.formatted(terminatePort, exact[0], exact[1], wildcard[0], wildcard[1], recordPort, exact[0], exact[1],
        a.endpoint(), wild.endpoint(), fallback.endpoint(), recorder.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    a.close();
    wild.close();
    fallback.close();
    recorder.close();
  }

  /** What a client sees: the certificate the proxy presented, the protocol ALPN chose, the backend's greeting. */
  record Seen(String certificate, String alpn, String greeting) {
  }

  static SSLSocket open(int port, String sni, String... alpn) throws IOException {
    // A new context each time: the JDK would otherwise resume a session and send that session's SNI.
    SSLContext client = TestCertificates.clientContext(ca);
    SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(15_000);
    SSLParameters p = s.getSSLParameters();
    p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
    p.setApplicationProtocols(alpn);
    s.setSSLParameters(p);
    s.startHandshake();
    return s;
  }

  static Seen connect(int port, String sni, String... alpn) throws IOException {
    try (SSLSocket s = open(port, sni, alpn)) {
      X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
      String greeting = readLine(s.getInputStream());
      s.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      assertThat(readLine(s.getInputStream())).isEqualTo("ping");
      return new Seen(TestCertificates.commonName(peer), s.getApplicationProtocol(), greeting);
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
  void theProxyShowsTheCertificateForTheSniAndTheSniChoosesTheBackend() throws IOException {
    assertThat(connect(terminatePort, "a.example.com")).isEqualTo(new Seen("a.example.com", "", "a"));
    assertThat(connect(terminatePort, "shop.example.com")).isEqualTo(new Seen("wildcard.example.com", "", "wild"));
  }

  @Test
  void aNameNoRouteTakesGoesToTheDefaultBackend() throws IOException {
    assertThat(connect(terminatePort, "other.test").greeting()).isEqualTo("fallback");
    assertThat(connect(terminatePort, null).greeting()).isEqualTo("fallback");
  }

  @Test
  void noApplicationProtocolIsNegotiated() throws IOException {
    // The relayed bytes are whatever the client speaks: offering h2 must not make the proxy claim it.
    assertThat(connect(terminatePort, "a.example.com", "h2", "http/1.1").alpn()).isEmpty();
  }

  @Test
  void theBackendGetsThePlainBytesAndTheClientsCloseAsItsEnd() throws Exception {
    recorded.clear();
    byte[] sent = "GET / HTTP/1.1\r\nHost: a.example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    try (SSLSocket s = open(recordPort, "a.example.com")) {
      s.getOutputStream().write(sent);
      s.getOutputStream().flush();
    }
    // The recorder reads to its end of stream: the client's close reached it as a FIN, after every byte.
    assertThat(recorded.poll(10, TimeUnit.SECONDS)).isEqualTo(sent);
  }

  @Test
  void theListenersMinimumVersionHolds() {
    assertThatThrownBy(() -> {
      SSLContext client = TestCertificates.clientContext(ca);
      try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", recordPort)) {
        s.setEnabledProtocols(new String[] {"TLSv1.2"});
        s.setSoTimeout(10_000);
        s.startHandshake();
      }
    }).isInstanceOf(IOException.class);
  }

  @Test
  void whatIsNoTlsIsRefusedAndTheListenerKeepsServing() throws IOException {
    try (Socket s = new Socket("127.0.0.1", terminatePort)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(connect(terminatePort, "a.example.com").greeting()).isEqualTo("a");
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateFailsItsHandshake() {
    Authority other = TestCertificates.authority("Another Root");
    assertThatThrownBy(() -> {
      SSLContext client = TestCertificates.clientContext(other);
      try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", terminatePort)) {
        s.setSoTimeout(10_000);
        s.startHandshake();
      }
    }).isInstanceOf(SSLHandshakeException.class);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(
        () -> assertThat(connect(terminatePort, "a.example.com").greeting()).isEqualTo("a"));
  }
}
