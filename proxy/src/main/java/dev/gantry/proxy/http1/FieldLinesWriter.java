package dev.gantry.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Iterator;
import java.util.Map.Entry;

/**
 * Writes a head's field lines ({@code name: value} CRLF each) the way Netty's encoders do, byte for byte, but
 * gathered in a per-thread scratch array first and copied into the buffer at once: one bounds check and one
 * copy per head instead of two character-set encodings per field. A character above U+00FF becomes {@code ?},
 * as in Netty's own ASCII writer: never a byte that could end a line.
 */
final class FieldLinesWriter {

  /** Field lines of up to this many bytes are gathered in one piece; longer heads are copied in several. */
  private static final int SCRATCH = 4096;
  private static final FastThreadLocal<byte[]> SCRATCH_ARRAY = new FastThreadLocal<>() {
    @Override
    protected byte[] initialValue() {
      return new byte[SCRATCH];
    }
  };

  private FieldLinesWriter() {
  }

  static void write(HttpHeaders headers, ByteBuf buf) {
    byte[] scratch = SCRATCH_ARRAY.get();
    int pos = 0;
    Iterator<Entry<CharSequence, CharSequence>> fields = headers.iteratorCharSequence();
    while (fields.hasNext()) {
      Entry<CharSequence, CharSequence> field = fields.next();
      CharSequence name = field.getKey();
      CharSequence value = field.getValue();
      int length = name.length() + value.length() + 4;
      if (pos + length > scratch.length) {
        buf.writeBytes(scratch, 0, pos);
        pos = 0;
        if (length > scratch.length) {
          writeLongField(name, value, buf);
          continue;
        }
      }
      pos = put(name, scratch, pos);
      scratch[pos++] = ':';
      scratch[pos++] = ' ';
      pos = put(value, scratch, pos);
      scratch[pos++] = '\r';
      scratch[pos++] = '\n';
    }
    buf.writeBytes(scratch, 0, pos);
  }

  private static void writeLongField(CharSequence name, CharSequence value, ByteBuf buf) {
    byte[] line = new byte[name.length() + value.length() + 4];
    int pos = put(name, line, 0);
    line[pos++] = ':';
    line[pos++] = ' ';
    pos = put(value, line, pos);
    line[pos++] = '\r';
    line[pos] = '\n';
    buf.writeBytes(line);
  }

  private static int put(CharSequence s, byte[] to, int pos) {
    int length = s.length();
    if (s instanceof AsciiString ascii) {
      System.arraycopy(ascii.array(), ascii.arrayOffset(), to, pos, length);
    } else {
      for (int i = 0; i < length; i++) {
        char c = s.charAt(i);
        to[pos + i] = c > 0xFF ? (byte) '?' : (byte) c;
      }
    }
    return pos + length;
  }
}
