package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.TestBackend;
import dev.gantry.proxy.testing.TestCertificates;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The life of an HTTP/2 connection as a whole: it ends with GOAWAY when idle or when its listener goes. */
class Http2ConnectionIT {

  static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  static final byte[] EMPTY_SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};
  static final int GOAWAY = 7;

  TestBackend app;
  ProxyFixture proxy;
  int port;

  @BeforeEach
  void start() {
    app = TestBackend.start("app");
    port = Ports.free();
    proxy = ProxyFixture.start().apply(config(true));
  }

  String config(boolean withHttps) {
    int other = Ports.free();
    return """
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: h2}
        spec:
          timeouts: {client: 1s}
          listeners:
          - {name: %s, port: %d, protocol: %s, defaultBackend: app}
          backends: [{name: app, endpoints: [%s]}]
        """.formatted(withHttps ? "https" : "http", withHttps ? port : other, withHttps ? "HTTPS" : "HTTP",
        app.endpoint());
  }

  @AfterEach
  void stop() {
    proxy.close();
    app.close();
  }

  /** An HTTP/2 connection that said its preface and settings, and then nothing. */
  SSLSocket openIdle() throws IOException {
    SSLSocket s = (SSLSocket) TestCertificates.trustAll().getSocketFactory().createSocket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(15_000);
    SSLParameters p = s.getSSLParameters();
    p.setApplicationProtocols(new String[] {"h2"});
    s.setSSLParameters(p);
    s.startHandshake();
    assertThat(s.getApplicationProtocol()).isEqualTo("h2");
    s.getOutputStream().write(PREFACE);
    s.getOutputStream().write(EMPTY_SETTINGS);
    s.getOutputStream().flush();
    return s;
  }

  /** The types of the frames the server sends until it closes. */
  static List<Integer> framesUntilClosed(SSLSocket s) throws IOException {
    List<Integer> types = new ArrayList<>();
    DataInputStream in = new DataInputStream(s.getInputStream());
    try {
      while (true) {
        int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
        types.add(in.readUnsignedByte());
        in.skipNBytes(1 + 4 + length);
      }
    } catch (EOFException | javax.net.ssl.SSLException e) {
      return types;
    }
  }

  @Test
  void anIdleConnectionEndsWithGoawayAfterTheClientTimeout() throws IOException {
    try (SSLSocket s = openIdle()) {
      long started = System.nanoTime();
      assertThat(framesUntilClosed(s)).contains(GOAWAY);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(700L, 10_000L);
    }
  }

  @Test
  void aRemovedListenerSendsGoawayToItsConnections() throws IOException {
    proxy.apply(config(true).replace("client: 1s", "client: 60s"));
    try (SSLSocket s = openIdle()) {
      proxy.apply(config(false));
      long started = System.nanoTime();
      assertThat(framesUntilClosed(s)).contains(GOAWAY);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(10_000L);
    }
  }
}
