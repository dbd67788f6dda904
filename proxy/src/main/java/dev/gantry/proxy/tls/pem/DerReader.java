package dev.gantry.proxy.tls.pem;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Reads DER (X.690) one value after another from a slice of bytes: the few structures of keys and names
 * Gantry looks inside. Single-byte tags and definite lengths only, as DER requires. Malformed input ends
 * with an {@link IllegalArgumentException} whose message never quotes the bytes.
 */
public final class DerReader {

  public static final int INTEGER = 0x02;
  public static final int OCTET_STRING = 0x04;
  public static final int OID = 0x06;
  public static final int SEQUENCE = 0x30;
  public static final int SET = 0x31;

  private final byte[] data;
  private int position;
  private final int end;

  public DerReader(byte[] data) {
    this(data, 0, data.length);
  }

  private DerReader(byte[] data, int start, int end) {
    this.data = data;
    this.position = start;
    this.end = end;
  }

  /** One tag-length-value: {@code [start, end)} is its whole encoding, {@code contentStart} where its value begins. */
  public record Value(int tag, byte[] data, int start, int contentStart, int end) {

    public byte[] content() {
      return Arrays.copyOfRange(data, contentStart, end);
    }

    public byte[] encoded() {
      return Arrays.copyOfRange(data, start, end);
    }

    /** A reader over the values inside this constructed one (a SEQUENCE, a SET, an explicit tag). */
    public DerReader children() {
      if ((tag & 0x20) == 0) {
        throw new IllegalArgumentException("DER: a primitive value where a constructed one was expected");
      }
      return new DerReader(data, contentStart, end);
    }

    public DerReader childrenOf(int expectedTag) {
      expect(expectedTag);
      return children();
    }

    public Value expect(int expectedTag) {
      if (tag != expectedTag) {
        throw new IllegalArgumentException(String.format("DER: tag 0x%02x where 0x%02x was expected", tag, expectedTag));
      }
      return this;
    }

    public BigInteger integer() {
      expect(INTEGER);
      return new BigInteger(content());
    }

    /** The dotted form of an OBJECT IDENTIFIER. */
    public String oid() {
      expect(OID);
      StringBuilder out = new StringBuilder();
      long arc = 0;
      boolean first = true;
      for (int i = contentStart; i < end; i++) {
        if (arc > (Long.MAX_VALUE >> 7)) {
          throw new IllegalArgumentException("DER: object identifier arc too large");
        }
        arc = (arc << 7) | (data[i] & 0x7f);
        if ((data[i] & 0x80) == 0) {
          if (first) {
            long top = Math.min(arc / 40, 2);
            out.append(top).append('.').append(arc - top * 40);
            first = false;
          } else {
            out.append('.').append(arc);
          }
          arc = 0;
        }
      }
      if (first || (data[end - 1] & 0x80) != 0) {
        throw new IllegalArgumentException("DER: truncated object identifier");
      }
      return out.toString();
    }
  }

  public boolean hasNext() {
    return position < end;
  }

  public Value next() {
    int start = position;
    if (end - position < 2) {
      throw new IllegalArgumentException("DER: truncated value");
    }
    int tag = data[position++] & 0xff;
    if ((tag & 0x1f) == 0x1f) {
      throw new IllegalArgumentException("DER: multi-byte tags are not supported");
    }
    int length = data[position++] & 0xff;
    if (length == 0x80) {
      throw new IllegalArgumentException("DER: indefinite length");
    }
    if (length > 0x80) {
      int count = length & 0x7f;
      if (count > 3 || end - position < count) {
        throw new IllegalArgumentException("DER: bad length");
      }
      length = 0;
      for (int i = 0; i < count; i++) {
        length = (length << 8) | (data[position++] & 0xff);
      }
    }
    if (length > end - position) {
      throw new IllegalArgumentException("DER: a value runs past the end of its container");
    }
    int contentStart = position;
    position += length;
    return new Value(tag, data, start, contentStart, position);
  }

  public Value next(int expectedTag) {
    return next().expect(expectedTag);
  }
}
