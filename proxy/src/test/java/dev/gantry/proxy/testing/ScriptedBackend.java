package dev.gantry.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend on a plain server socket that reads one request head per connection and then does whatever
 * the script says with the raw output: misbehave, stall, or die half-way through a response.
 */
public final class ScriptedBackend implements AutoCloseable {

  /** What to do once a request head has been read. */
  @FunctionalInterface
  public interface Script {
    void run(String requestHead, InputStream in, OutputStream out) throws IOException, InterruptedException;
  }

  private final ServerSocket server;
  private final Thread acceptor;
  private final AtomicInteger requests = new AtomicInteger();

  public ScriptedBackend(Script script) {
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          Thread t = new Thread(() -> serve(s, script), "scripted-backend-conn");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }, "scripted-backend");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void serve(Socket s, Script script) {
    try (s) {
      InputStream in = s.getInputStream();
      String head = readHead(in);
      if (head == null) {
        return;
      }
      requests.incrementAndGet();
      script.run(head, in, s.getOutputStream());
    } catch (IOException | InterruptedException e) {
      // the test decides what a dropped connection means
    }
  }

  /** The next request head on a connection, up to and including its blank line; null at the end of input. */
  public static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int state = 0;
    int c;
    while ((c = in.read()) != -1) {
      b.write(c);
      state = (c == '\r' && (state == 0 || state == 2)) ? state + 1 : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
      if (state == 4) {
        return b.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  public int port() {
    return server.getLocalPort();
  }

  public int requests() {
    return requests.get();
  }

  public String endpoint() {
    return "{address: 127.0.0.1, port: " + port() + "}";
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing a test server
    }
  }
}
