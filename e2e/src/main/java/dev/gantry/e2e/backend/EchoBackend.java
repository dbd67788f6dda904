package dev.gantry.e2e.backend;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The backend the end-to-end suite routes to, as its own small image: HTTP on 8080 answers
 * {@code <name> <path>} (so a test sees which backend a request reached), and TCP on 9000 echoes what it
 * receives. The name comes from {@code BACKEND_NAME}.
 */
public final class EchoBackend {

  static final int HTTP_PORT = 8080;
  static final int ECHO_PORT = 9000;

  private EchoBackend() {
  }

  public static void main(String[] args) throws IOException {
    String name = System.getenv().getOrDefault("BACKEND_NAME", "backend");
    HttpServer http = HttpServer.create(new InetSocketAddress(HTTP_PORT), 128);
    http.createContext("/", exchange -> {
      byte[] body = (name + " " + exchange.getRequestURI().getRawPath() + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.getResponseHeaders().set("X-Backend", name);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    http.setExecutor(Executors.newCachedThreadPool());
    http.start();

    try (ServerSocket echo = new ServerSocket(ECHO_PORT)) {
      System.out.println(name + ": HTTP on " + HTTP_PORT + ", TCP echo on " + ECHO_PORT);
      while (true) {
        Socket socket = echo.accept();
        Thread thread = new Thread(() -> echo(socket), "echo");
        thread.setDaemon(true);
        thread.start();
      }
    }
  }

  private static void echo(Socket socket) {
    try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // the client went away
    }
  }
}
