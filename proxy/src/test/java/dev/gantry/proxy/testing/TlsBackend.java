package dev.gantry.proxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS server on 127.0.0.1 with a certificate of its own, behind a TLS-passthrough listener: after the
 * handshake it says its name on a line, then echoes. Clients must see its certificate, not the proxy's.
 */
public final class TlsBackend implements AutoCloseable {

  private final String name;
  private final SSLServerSocket server;
  private final AtomicInteger handshakes = new AtomicInteger();

  public TlsBackend(String name, TestCertificates.Issued certificate) {
    this.name = name;
    try {
      server = (SSLServerSocket) serverContext(certificate).getServerSocketFactory()
          .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::acceptLoop, "tls-backend-" + name);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A server TLS context presenting {@code certificate} with its chain. */
  public static SSLContext serverContext(TestCertificates.Issued certificate) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("server", certificate.keys().getPrivate(), new char[0],
          certificate.chain().toArray(new X509Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve((SSLSocket) s), "tls-backend-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(SSLSocket s) {
    try (s) {
      s.startHandshake();
      handshakes.incrementAndGet();
      OutputStream out = s.getOutputStream();
      out.write((name + "\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[16 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // The client went away, or never was a TLS client.
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  public String endpoint() {
    return "{address: 127.0.0.1, port: " + port() + "}";
  }

  public int handshakes() {
    return handshakes.get();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing
    }
  }
}
