package dev.gantry.proxy.testing;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * An HTTP/2 client over TLS that writes whatever frames a test builds, valid or not, and reads the server's
 * frames raw. Header blocks are HPACK literals the test spells out ({@link Block}).
 */
public final class RawH2 implements AutoCloseable {

  public static final int DATA = 0, HEADERS = 1, PRIORITY = 2, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7,
      WINDOW_UPDATE = 8, CONTINUATION = 9;
  public static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4;
  public static final int PROTOCOL_ERROR = 1, STREAM_CLOSED = 5, REFUSED_STREAM = 7, CANCEL = 8,
      COMPRESSION_ERROR = 9, ENHANCE_YOUR_CALM = 11;
  static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** A frame the server sent; a HEADERS frame comes with its decoded block. */
  public record Frame(int type, int flags, int stream, byte[] payload, Http2Headers headers) {
    /** The error code of a RST_STREAM or GOAWAY frame. */
    public int errorCode() {
      ByteBuffer b = ByteBuffer.wrap(payload);
      return type == GOAWAY ? b.getInt(4) : b.getInt(0);
    }

    /** The last stream id of a GOAWAY frame. */
    public int lastStreamId() {
      return ByteBuffer.wrap(payload).getInt(0) & 0x7fffffff;
    }

    @Override
    public String toString() {
      return "Frame[type=" + type + ", flags=" + flags + ", stream=" + stream + ", length=" + payload.length
          + (type == GOAWAY || type == RST_STREAM ? ", error=" + errorCode() : "") + "]";
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  /** The server's header blocks share one HPACK table: every one is decoded, in order. */
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);

  private RawH2(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(socket.getInputStream());
  }

  /** Connects with ALPN h2 and sends the preface and an empty SETTINGS frame. */
  public static RawH2 connect(int port) {
    return connect(port, 0);
  }

  /** The same, with a small socket receive buffer when {@code receiveBuffer} > 0 (a client that reads slowly). */
  public static RawH2 connect(int port, int receiveBuffer) {
    return connect(TestCertificates.trustAll(), port, receiveBuffer);
  }

  /** Connects with ALPN h2 using {@code tls} (say one that presents a client certificate). */
  public static RawH2 connect(javax.net.ssl.SSLContext tls, int port, int receiveBuffer) {
    return connect(tls, port, receiveBuffer, null);
  }

  /** As {@link #connect(javax.net.ssl.SSLContext, int, int)}, asking for {@code serverName} by SNI (null: none). */
  public static RawH2 connect(javax.net.ssl.SSLContext tls, int port, int receiveBuffer, String serverName) {
    try {
      SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket();
      if (receiveBuffer > 0) {
        s.setReceiveBufferSize(receiveBuffer);
      }
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(10_000);
      SSLParameters p = s.getSSLParameters();
      p.setApplicationProtocols(new String[] {"h2"});
      if (serverName != null) {
        p.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName(serverName)));
      }
      s.setSSLParameters(p);
      s.startHandshake();
      if (!"h2".equals(s.getApplicationProtocol())) {
        throw new AssertionError("the server did not choose h2 by ALPN");
      }
      RawH2 c = new RawH2(s);
      c.write(PREFACE, frame(SETTINGS, 0, 0, new byte[0]));
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Connects over cleartext (h2c with prior knowledge) and sends the preface and an empty SETTINGS frame. */
  public static RawH2 connectCleartext(int port) {
    return connectCleartext(port, PREFACE.length);
  }

  /** The same, with the preface sent in two TCP segments split after {@code split} bytes, 100 ms apart. */
  public static RawH2 connectCleartext(int port, int split) {
    try {
      Socket s = new Socket();
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(10_000);
      RawH2 c = new RawH2(s);
      int first = split < PREFACE.length ? split : 0;
      if (first > 0) {
        c.write(Arrays.copyOf(PREFACE, first));
        Thread.sleep(100);
      }
      c.write(Arrays.copyOfRange(PREFACE, first, PREFACE.length), frame(SETTINGS, 0, 0, new byte[0]));
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Writes the given byte arrays as they are; throws when the server has closed. */
  public void write(byte[]... parts) throws IOException {
    for (byte[] p : parts) {
      out.write(p);
    }
    out.flush();
  }

  /** Writes and returns true, or returns false when the connection is gone. */
  public boolean tryWrite(byte[]... parts) {
    try {
      write(parts);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The next frame, or null when the server closed (or sent nothing for 10 s). */
  public Frame read() {
    try {
      int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      int stream = in.readInt() & 0x7fffffff;
      byte[] payload = in.readNBytes(length);
      Http2Headers headers = type == HEADERS ? decode(stream, payload) : null;
      if (type == SETTINGS && (flags & ACK) == 0) {
        tryWrite(frame(SETTINGS, ACK, 0, new byte[0]));
      }
      return new Frame(type, flags, stream, payload, headers);
    } catch (EOFException | SocketTimeoutException | SSLException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /** A response header block without padding or priority (as the server sends them). */
  private Http2Headers decode(int stream, byte[] block) {
    try {
      return decoder.decodeHeaders(stream, Unpooled.wrappedBuffer(block));
    } catch (Http2Exception e) {
      throw new AssertionError("the server sent a header block that does not decode", e);
    }
  }

  /** Every frame until the server closes the connection (or is silent for 10 s). */
  public List<Frame> readUntilClosed() {
    List<Frame> frames = new ArrayList<>();
    Frame f;
    while ((f = read()) != null) {
      frames.add(f);
    }
    return frames;
  }

  /** Frames until one of {@code type} on {@code stream} (included), or the end. */
  public List<Frame> readUntil(int type, int stream) {
    List<Frame> frames = new ArrayList<>();
    Frame f;
    while ((f = read()) != null) {
      frames.add(f);
      if (f.type() == type && f.stream() == stream) {
        break;
      }
    }
    return frames;
  }

  /** The status and body of the response on {@code stream}: reads until its END_STREAM or a reset. */
  public String response(int stream) {
    StringBuilder body = new StringBuilder();
    String status = null;
    Frame f;
    while ((f = read()) != null) {
      if (f.stream() != stream) {
        continue;
      }
      if (f.type() == HEADERS && status == null) {
        status = String.valueOf(f.headers().status());
      } else if (f.type() == DATA) {
        body.append(new String(f.payload(), StandardCharsets.ISO_8859_1));
      } else if (f.type() == RST_STREAM) {
        return "RST_STREAM " + f.errorCode();
      }
      if ((f.flags() & END_STREAM) != 0) {
        break;
      }
    }
    return status + " " + body;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing a test connection
    }
  }

  public static byte[] frame(int type, int flags, int stream, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(9 + payload.length);
    b.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
    b.put((byte) type).put((byte) flags).putInt(stream).put(payload);
    return b.array();
  }

  /** HEADERS with END_HEADERS (and END_STREAM when {@code end}) carrying {@code block}. */
  public static byte[] headers(int stream, boolean end, byte[] block) {
    return frame(HEADERS, END_HEADERS | (end ? END_STREAM : 0), stream, block);
  }

  public static byte[] rst(int stream, int error) {
    return frame(RST_STREAM, 0, stream, ByteBuffer.allocate(4).putInt(error).array());
  }

  public static byte[] ping(long data) {
    return frame(PING, 0, 0, ByteBuffer.allocate(8).putLong(data).array());
  }

  public static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    parts.forEach(b::writeBytes);
    return b.toByteArray();
  }

  /** A header block in HPACK literals, built field by field. */
  public static final class Block {
    private final ByteArrayOutputStream b = new ByteArrayOutputStream();

    /** {@code :method GET, :scheme https, :path path, :authority localhost}, as literals. */
    public static Block get(String path) {
      return request("GET", path);
    }

    /** The pseudo-header fields of a request, as literals. */
    public static Block request(String method, String path) {
      return new Block().add(":method", method).add(":scheme", "https").add(":path", path)
          .add(":authority", "localhost");
    }

    /** A literal field without indexing, with a new name: the bytes as given, whatever they are. */
    public Block add(String name, String value) {
      b.write(0x00);
      string(name.getBytes(StandardCharsets.ISO_8859_1));
      string(value.getBytes(StandardCharsets.ISO_8859_1));
      return this;
    }

    /** A literal field with incremental indexing: it enters the decoder's dynamic table. */
    public Block addIndexed(String name, String value) {
      b.write(0x40);
      string(name.getBytes(StandardCharsets.ISO_8859_1));
      string(value.getBytes(StandardCharsets.ISO_8859_1));
      return this;
    }

    /** A reference to entry {@code index} of the tables (62 is the newest dynamic entry). */
    public Block ref(int index) {
      integer(index, 7, 0x80);
      return this;
    }

    public byte[] bytes() {
      return b.toByteArray();
    }

    private void string(byte[] s) {
      integer(s.length, 7, 0x00);
      b.writeBytes(s);
    }

    private void integer(int value, int prefixBits, int mask) {
      int max = (1 << prefixBits) - 1;
      if (value < max) {
        b.write(mask | value);
        return;
      }
      b.write(mask | max);
      value -= max;
      while (value >= 128) {
        b.write((value & 0x7f) | 0x80);
        value >>>= 7;
      }
      b.write(value);
    }
  }
}
