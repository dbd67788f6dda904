package dev.gantry.proxy.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Executors;

/**
 * A backend that streams large bodies without holding them: {@code /download?bytes=N[&chunked]} sends N
 * bytes of {@link #pattern}, and {@code /upload} answers the SHA-256 and length of what it received.
 */
public final class StreamingBackend implements AutoCloseable {

  private final HttpServer server;

  public StreamingBackend() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "streaming-backend");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/download", this::download);
    server.createContext("/upload", this::upload);
    server.start();
  }

  /** The byte at {@code position} of every generated body. */
  public static byte pattern(long position) {
    return (byte) ((position * 31 + (position >>> 8)) & 0xff);
  }

  public static String sha256OfPattern(long length) {
    MessageDigest md = sha256();
    byte[] buf = new byte[64 * 1024];
    long pos = 0;
    while (pos < length) {
      int n = (int) Math.min(buf.length, length - pos);
      fill(buf, n, pos);
      md.update(buf, 0, n);
      pos += n;
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static void fill(byte[] buf, int n, long from) {
    for (int i = 0; i < n; i++) {
      buf[i] = pattern(from + i);
    }
  }

  /** An input stream of the first {@code length} bytes of the pattern. */
  public static InputStream patternStream(long length) {
    return new InputStream() {
      private long pos;

      @Override
      public int read() {
        return pos < length ? pattern(pos++) & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= length) {
          return -1;
        }
        int n = (int) Math.min(len, length - pos);
        for (int i = 0; i < n; i++) {
          b[off + i] = pattern(pos + i);
        }
        pos += n;
        return n;
      }
    };
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String endpoint() {
    return "{address: 127.0.0.1, port: " + port() + "}";
  }

  private void download(HttpExchange ex) throws IOException {
    URI uri = ex.getRequestURI();
    String q = uri.getQuery() == null ? "" : uri.getQuery();
    long bytes = 0;
    boolean chunked = false;
    for (String part : q.split("&")) {
      if (part.startsWith("bytes=")) {
        bytes = Long.parseLong(part.substring(6));
      } else if (part.equals("chunked")) {
        chunked = true;
      }
    }
    ex.getRequestBody().readAllBytes();
    ex.sendResponseHeaders(200, chunked ? 0 : bytes);
    try (OutputStream out = ex.getResponseBody()) {
      byte[] buf = new byte[64 * 1024];
      long pos = 0;
      while (pos < bytes) {
        int n = (int) Math.min(buf.length, bytes - pos);
        fill(buf, n, pos);
        out.write(buf, 0, n);
        pos += n;
      }
    }
  }

  private void upload(HttpExchange ex) throws IOException {
    MessageDigest md = sha256();
    long total = 0;
    try (InputStream in = ex.getRequestBody()) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
        total += n;
      }
    }
    byte[] answer = (HexFormat.of().formatHex(md.digest()) + " " + total).getBytes(StandardCharsets.US_ASCII);
    ex.sendResponseHeaders(200, answer.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(answer);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
