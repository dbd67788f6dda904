package dev.gantry.proxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw TCP server on 127.0.0.1 running a script per connection on its own thread: an echo server, a sink,
 * a server that speaks first, or one that records the exact bytes it got.
 */
public final class TcpBackend implements AutoCloseable {

  /** What to do with one accepted connection; the socket is closed afterwards. */
  @FunctionalInterface
  public interface Script {
    void run(Socket socket) throws IOException, InterruptedException;
  }

  private final ServerSocket server;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();

  public TcpBackend(Script script) {
    this(script, 50);
  }

  public TcpBackend(Script script, int backlog) {
    this(script, backlog, InetAddress.getLoopbackAddress());
  }

  /** A server on {@code address}, an address of this machine. */
  public TcpBackend(Script script, int backlog, InetAddress address) {
    try {
      server = new ServerSocket(0, backlog, address);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          accepted.incrementAndGet();
          Thread t = new Thread(() -> {
            try (s) {
              script.run(s);
            } catch (Exception | Error e) {
              failures.add(e);
            }
          }, "tcp-backend-conn");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }, "tcp-backend");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Echoes every byte; on the client's FIN, half-closes back once everything was echoed. */
  public static TcpBackend echo() {
    return echo(InetAddress.getLoopbackAddress());
  }

  /** The echo server on {@code address}. */
  public static TcpBackend echo(InetAddress address) {
    return new TcpBackend(s -> {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
      out.flush();
      s.shutdownOutput();
    }, 50, address);
  }

  /** Says {@code greeting} and a newline first, then echoes. */
  public static TcpBackend greeting(String greeting) {
    return new TcpBackend(s -> {
      OutputStream out = s.getOutputStream();
      out.write((greeting + "\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[16 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
      s.shutdownOutput();
    });
  }

  public int port() {
    return server.getLocalPort();
  }

  /** A YAML endpoint line for this backend. */
  public String endpoint() {
    return "{address: 127.0.0.1, port: " + port() + "}";
  }

  public int accepted() {
    return accepted.get();
  }

  /** Exceptions thrown by scripts, for assertions. */
  public List<Throwable> failures() {
    return failures;
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
