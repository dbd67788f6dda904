package dev.gantry.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * An HTTPS backend on 127.0.0.1 (the JDK's TLS): answers every request with 200 and a body naming itself,
 * the SNI it was sent and the client certificate it saw. It counts connections and full handshakes (those
 * where it had to present its certificate: a resumed session skips that), and with a client CA it requires
 * a client certificate issued by it.
 */
public final class TlsHttpBackend implements AutoCloseable {

  private final String name;
  private final boolean closeAfterResponse;
  private final SSLServerSocket server;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger fullHandshakes = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final Queue<String> serverNames = new ConcurrentLinkedQueue<>();
  private final ThreadLocal<Boolean> certificatePresented = ThreadLocal.withInitial(() -> false);
  private final ThreadLocal<String> requestedName = ThreadLocal.withInitial(() -> "none");

  /**
   * @param clientCa when not null, a client certificate from this CA is required
   * @param closeAfterResponse closes each connection after one response, so every request needs a new one
   */
  public TlsHttpBackend(String name, TestCertificates.Issued certificate, TestCertificates.Authority clientCa,
      boolean closeAfterResponse) {
    this.name = name;
    this.closeAfterResponse = closeAfterResponse;
    try {
      server = (SSLServerSocket) context(certificate, clientCa).getServerSocketFactory()
          .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
      server.setNeedClientAuth(clientCa != null);
      SSLParameters parameters = server.getSSLParameters();
      parameters.setSNIMatchers(List.of(new RecordingSniMatcher()));
      server.setSSLParameters(parameters);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::acceptLoop, "tls-http-backend-" + name);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private SSLContext context(TestCertificates.Issued certificate, TestCertificates.Authority clientCa) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("server", certificate.keys().getPrivate(), new char[0],
          certificate.chain().toArray(new X509Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
      KeyManager counting = new CountingKeyManager((X509KeyManager) kmf.getKeyManagers()[0]);
      TrustManagerFactory tmf = null;
      if (clientCa != null) {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("client-ca", clientCa.certificate());
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(new KeyManager[] {counting}, tmf == null ? null : tmf.getTrustManagers(), new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve((SSLSocket) s), "tls-http-backend-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(SSLSocket s) {
    try (s) {
      connections.incrementAndGet();
      certificatePresented.set(false);
      requestedName.set("none");
      try {
        s.startHandshake();
      } finally {
        serverNames.add(requestedName.get());
      }
      if (certificatePresented.get()) {
        fullHandshakes.incrementAndGet();
      }
      String sni = requestedName.get();
      String client = "none";
      try {
        Certificate[] peer = s.getSession().getPeerCertificates();
        client = TestCertificates.commonName((X509Certificate) peer[0]);
      } catch (SSLPeerUnverifiedException e) {
        // No client certificate.
      }
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      while (readHead(in)) {
        requests.incrementAndGet();
        byte[] body = (name + " sni=" + sni + " client=" + client).getBytes(StandardCharsets.US_ASCII);
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n"
            + (closeAfterResponse ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        if (closeAfterResponse) {
          return;
        }
      }
    } catch (IOException e) {
      // The client went away, or the handshake failed.
    }
  }

  /** Reads a request head (requests here have no body); false at the end of the stream. */
  private static boolean readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      byte[] h = head.toByteArray();
      int n = h.length;
      if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
        return true;
      }
    }
    return false;
  }

  public int port() {
    return server.getLocalPort();
  }

  public String endpoint() {
    return "{address: 127.0.0.1, port: " + port() + "}";
  }

  public int connections() {
    return connections.get();
  }

  public int fullHandshakes() {
    return fullHandshakes.get();
  }

  public int requests() {
    return requests.get();
  }

  /** The SNI of each connection, in order ("none" when the client sent none). */
  public List<String> serverNames() {
    return List.copyOf(serverNames);
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing
    }
  }

  /** Notes the SNI of the handshake on this thread, whether or not the handshake then succeeds. */
  private final class RecordingSniMatcher extends SNIMatcher {
    RecordingSniMatcher() {
      super(StandardConstants.SNI_HOST_NAME);
    }

    @Override
    public boolean matches(SNIServerName serverName) {
      if (serverName instanceof SNIHostName host) {
        requestedName.set(host.getAsciiName());
      } else {
        requestedName.set(new SNIHostName(serverName.getEncoded()).getAsciiName());
      }
      return true;
    }
  }

  /** Notes, per handshake thread, that the server had to choose its certificate: a full handshake. */
  private final class CountingKeyManager extends X509ExtendedKeyManager {
    private final X509KeyManager delegate;

    CountingKeyManager(X509KeyManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      certificatePresented.set(true);
      return delegate.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      certificatePresented.set(true);
      return delegate.chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return delegate.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return delegate.getPrivateKey(alias);
    }
  }
}
