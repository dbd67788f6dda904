package dev.gantry.proxy.testing;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/** Real TLS ClientHellos, as the JDK's TLS client writes them, and reshaped ones for edge cases. */
public final class ClientHelloBytes {

  private ClientHelloBytes() {
  }

  /** One TLS record holding a ClientHello with {@code serverName} as SNI (none when null). */
  public static byte[] record(String serverName) {
    try {
      SSLEngine e = SSLContext.getDefault().createSSLEngine();
      e.setUseClientMode(true);
      SSLParameters p = e.getSSLParameters();
      p.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
      e.setSSLParameters(p);
      ByteBuffer out = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
      e.wrap(ByteBuffer.allocate(0), out);
      out.flip();
      byte[] b = new byte[out.remaining()];
      out.get(b);
      return b;
    } catch (NoSuchAlgorithmException | SSLException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** The handshake message of a one-record ClientHello: its 4-byte header and body. */
  public static byte[] handshake(byte[] record) {
    return Arrays.copyOfRange(record, 5, record.length);
  }

  /** The ClientHello body (after the handshake header), what {@code ClientHellos} parses. */
  public static byte[] body(byte[] record) {
    return Arrays.copyOfRange(record, 9, record.length);
  }

  /** The same handshake message cut into TLS records of at most {@code size} bytes each. */
  public static byte[] fragmented(byte[] record, int size) {
    byte[] msg = handshake(record);
    int records = (msg.length + size - 1) / size;
    byte[] out = new byte[msg.length + 5 * records];
    int o = 0;
    for (int i = 0; i < msg.length; i += size) {
      int n = Math.min(size, msg.length - i);
      out[o++] = 22;
      out[o++] = record[1];
      out[o++] = record[2];
      out[o++] = (byte) (n >> 8);
      out[o++] = (byte) n;
      System.arraycopy(msg, i, out, o, n);
      o += n;
    }
    return out;
  }
}
