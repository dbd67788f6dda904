package dev.gantry.proxy.l4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.ClientHelloBytes;
import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.ProxyProtocolBackend;
import dev.gantry.proxy.testing.ProxyProtocolBackend.Header;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Backends learn the client's address from the PROXY protocol header, as the backend's setting asks. */
class ProxyProtocolIT {

  static ProxyProtocolBackend v1;
  static ProxyProtocolBackend v2;
  static ProxyFixture proxy;
  static int tcpV1;
  static int tcpV2;
  static int tlsV2;

  @BeforeAll
  static void start() {
    v1 = new ProxyProtocolBackend();
    v2 = new ProxyProtocolBackend();
    tcpV1 = Ports.free();
    tcpV2 = Ports.free();
    tlsV2 = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: pp}
        spec:
          listeners:
          - {name: tcp-v1, port: %d, protocol: TCP, defaultBackend: v1}
          - {name: tcp-v2, port: %d, protocol: TCP, defaultBackend: v2}
          - {name: tls-v2, port: %d, protocol: TLS}
          routes:
          - {name: shop, hosts: [shop.example.com], backends: [{name: v2}]}
          backends:
          - {name: v1, proxyProtocol: V1, endpoints: [%s]}
          - {name: v2, proxyProtocol: V2, endpoints: [%s]}
        """.formatted(tcpV1, tcpV2, tlsV2, v1.endpoint(), v2.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    v1.close();
    v2.close();
  }

  static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(15_000);
    return s;
  }

  /** Sends {@code bytes} and reads their echo: they follow the header unchanged. */
  static void roundTrip(Socket s, byte[] bytes) throws IOException {
    s.getOutputStream().write(bytes);
    s.getOutputStream().flush();
    InputStream in = s.getInputStream();
    assertThat(in.readNBytes(bytes.length)).isEqualTo(bytes);
  }

  @Test
  void version1TellsTheBackendWhereTheClientIs() throws Exception {
    try (Socket s = connect(tcpV1)) {
      roundTrip(s, "hello".getBytes());
      assertThat(v1.next()).isEqualTo(new Header("V1", "127.0.0.1", s.getLocalPort(), "127.0.0.1", tcpV1, null));
    }
  }

  @Test
  void version2TellsTheBackendWhereTheClientIs() throws Exception {
    try (Socket s = connect(tcpV2)) {
      roundTrip(s, "hello".getBytes());
      assertThat(v2.next()).isEqualTo(new Header("V2", "127.0.0.1", s.getLocalPort(), "127.0.0.1", tcpV2, null));
    }
  }

  @Test
  void aTlsPassthroughBackendAlsoLearnsTheServerNameAndGetsTheClientHelloAfterTheHeader() throws Exception {
    byte[] hello = ClientHelloBytes.record("shop.example.com");
    try (Socket s = connect(tlsV2)) {
      roundTrip(s, hello);
      assertThat(v2.next())
          .isEqualTo(new Header("V2", "127.0.0.1", s.getLocalPort(), "127.0.0.1", tlsV2, "shop.example.com"));
    }
  }
}
