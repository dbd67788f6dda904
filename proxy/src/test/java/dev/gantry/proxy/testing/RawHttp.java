package dev.gantry.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A client on a plain socket, for what real HTTP clients refuse to send: pipelined requests, slow or
 * malformed heads, oversized headers. Parses responses framed by Content-Length, chunked or close.
 */
public final class RawHttp implements AutoCloseable {

  /** A parsed response. */
  public record Response(int status, Map<String, String> headers, String body) {

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public RawHttp(int port) {
    this(port, null);
  }

  /** A connection from a chosen local address, such as any of 127.0.0.0/8, to look like many clients. */
  public RawHttp(int port, String localAddress) {
    this(localAddress, "127.0.0.1", port);
  }

  /** A connection to {@code host:port}, from {@code localAddress} unless it is null. */
  public RawHttp(String localAddress, String host, int port) {
    this(localAddress == null ? null : new InetSocketAddress(localAddress, 0), host, port);
  }

  /** A connection to {@code host:port} from {@code local} (an address and port), unless it is null. */
  public RawHttp(InetSocketAddress local, String host, int port) {
    try {
      socket = new Socket();
      if (local != null) {
        socket.setReuseAddress(true);
        socket.bind(local);
      }
      socket.connect(new InetSocketAddress(host, port), 5000);
      socket.setSoTimeout(15_000);
      in = socket.getInputStream();
      out = socket.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RawHttp timeout(int millis) {
    try {
      socket.setSoTimeout(millis);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public RawHttp send(String text) {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  public RawHttp send(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public Socket socket() {
    return socket;
  }

  /** Reads one response; a HEAD response has no body. */
  public Response read() {
    return read(false);
  }

  public Response read(boolean headRequest) {
    try {
      String statusLine = line();
      if (statusLine == null) {
        throw new IOException("connection closed before a response");
      }
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      String l;
      while ((l = line()) != null && !l.isEmpty()) {
        int colon = l.indexOf(':');
        headers.merge(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim(),
            (a, b) -> a + ", " + b);
      }
      String body;
      if (headRequest || status == 204 || status == 304 || (status >= 100 && status < 200)) {
        body = "";
      } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        body = chunked();
      } else if (headers.containsKey("content-length")) {
        body = new String(in.readNBytes(Integer.parseInt(headers.get("content-length"))), StandardCharsets.UTF_8);
      } else {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      return new Response(status, headers, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when the server closed the connection (reads EOF) within the socket timeout. */
  public boolean closedByPeer() {
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private String chunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line();
      int n = Integer.parseInt(size.split(";")[0].trim(), 16);
      if (n == 0) {
        while (!line().isEmpty()) {
          // trailers
        }
        return body.toString(StandardCharsets.UTF_8);
      }
      body.write(in.readNBytes(n));
      line();
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing a test socket
    }
  }
}
