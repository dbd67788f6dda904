package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.RawH2;
import dev.gantry.proxy.testing.TestBackend;
import dev.gantry.proxy.testing.TestCertificates;
import dev.gantry.proxy.testing.TestCertificates.KeyFormat;
import dev.gantry.proxy.testing.TestCertificates.KeyType;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An HTTPS listener split by {@code tls.sniHosts} as a Gateway's four HTTPS listeners on one port are (no
 * hostname, {@code second-example.org}, {@code *.wildcard.org}, {@code fourth-example.wildcard.org}, one
 * certificate for all): the Gateway API misdirected-request cases over HTTP/2, and over HTTP/1.1. A request whose
 * {@code Host} falls under another of those hosts than its connection's SNI gets 421.
 */
class MisdirectedRequestsIT {

  static final TestBackend[] BACKENDS = new TestBackend[3];
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() throws IOException {
    for (int i = 0; i < BACKENDS.length; i++) {
      BACKENDS[i] = TestBackend.start("v" + (i + 1));
    }
    Path dir = Files.createTempDirectory("misdirected");
    Path[] cert = TestCertificates.authority("Gateway CA").issue("example.org", KeyType.EC, "example.org",
        "second-example.org", "*.wildcard.org").write(dir, "server", KeyFormat.PKCS8);
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: gw-misdirected}
        spec:
          listeners:
          - name: port-443
            port: %d
            protocol: HTTPS
            tls:
              certificates: [{certFile: "%s", keyFile: "%s"}]
              sniHosts: [second-example.org, "*.wildcard.org", fourth-example.wildcard.org]
          routes:
          - {name: test-1, hosts: [example.org], paths: [{value: /detect}], backends: [{name: v1}]}
          - {name: test-2, hosts: [second-example.org], paths: [{value: /detect}], backends: [{name: v2}]}
          - {name: test-3, hosts: ["*.wildcard.org"], paths: [{value: /detect}], backends: [{name: v3}]}
          - {name: test-4, hosts: [fourth-example.wildcard.org], paths: [{value: /detect}], backends: [{name: v1}]}
          backends:
          - {name: v1, endpoints: [%s]}
          - {name: v2, endpoints: [%s]}
          - {name: v3, endpoints: [%s]}
        """.formatted(port, cert[0], cert[1], endpoint(0), endpoint(1), endpoint(2)));
  }

  private static String endpoint(int i) {
    return "{address: 127.0.0.1, port: " + BACKENDS[i].port() + "}";
  }

  @AfterAll
  static void stop() {
    proxy.close();
    for (TestBackend b : BACKENDS) {
      b.close();
    }
  }

  @ParameterizedTest(name = "SNI {0}, :authority {1} -> {2}")
  @CsvSource({
      "example.org,                 example.org,                 200 v1",
      "example.org,                 second-example.org,          421",
      "example.org,                 unknown-example.org,         404",
      "second-example.org,          second-example.org,          200 v2",
      "second-example.org,          example.org,                 421",
      "second-example.org,          unknown-example.org,         421",
      "third-example.wildcard.org,  third-example.wildcard.org,  200 v3",
      "third-example.wildcard.org,  fith-example.wildcard.org,   200 v3",
      "third-example.wildcard.org,  fourth-example.wildcard.org, 421",
      "third-example.wildcard.org,  second-example.org,          421",
      "third-example.wildcard.org,  unknown-example.org,         421",
      "fourth-example.wildcard.org, fourth-example.wildcard.org, 200 v1",
      "fourth-example.wildcard.org, fith-example.wildcard.org,   421",
      "unknown-example.org,         example.org,                 200 v1",
      "unknown-example.org,         unknown-example.org,         404",
  })
  void http2RequestsForAnotherListenersHostAre421(String serverName, String authority, String expected)
      throws IOException {
    try (RawH2 c = RawH2.connect(TestCertificates.trustAll(), port, 0, serverName)) {
      c.write(RawH2.headers(1, true, new RawH2.Block().add(":method", "GET").add(":scheme", "https")
          .add(":path", "/detect").add(":authority", authority).bytes()));
      assertThat(c.response(1)).startsWith(expected);
    }
  }

  @Test
  void http11RequestsForAnotherListenersHostAre421OnTheSameConnection() throws IOException {
    try (SSLSocket s = tlsSocket("second-example.org")) {
      assertThat(exchange(s, "second-example.org:443")).startsWith("HTTP/1.1 200 ");
      assertThat(exchange(s, "Example.org")).startsWith("HTTP/1.1 421 ");
      // the connection stays usable for its own host
      assertThat(exchange(s, "second-example.org")).startsWith("HTTP/1.1 200 ");
    }
  }

  @Test
  void aConnectionWithoutSniIsNotJudged() throws IOException {
    try (SSLSocket s = tlsSocket(null)) {
      assertThat(exchange(s, "second-example.org")).startsWith("HTTP/1.1 200 ");
      assertThat(exchange(s, "example.org")).startsWith("HTTP/1.1 200 ");
    }
  }

  private static SSLSocket tlsSocket(String serverName) throws IOException {
    SSLSocket s = (SSLSocket) TestCertificates.trustAll().getSocketFactory().createSocket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(10_000);
    SSLParameters p = s.getSSLParameters();
    p.setApplicationProtocols(new String[] {"http/1.1"});
    p.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
    s.setSSLParameters(p);
    s.startHandshake();
    return s;
  }

  /** One keep-alive exchange on {@code s}: the status line, headers and body of a Content-Length response. */
  private static String exchange(SSLSocket s, String host) throws IOException {
    s.getOutputStream().write(("GET /detect HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed after " + head);
      }
      head.append((char) c);
    }
    String lower = head.toString().toLowerCase(java.util.Locale.ROOT);
    int at = lower.indexOf("content-length:");
    int length = at < 0 ? 0 : Integer.parseInt(lower.substring(at + 15, lower.indexOf('\r', at)).trim());
    return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }
}
