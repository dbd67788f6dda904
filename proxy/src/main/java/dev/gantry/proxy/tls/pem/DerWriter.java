package dev.gantry.proxy.tls.pem;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;

/** Encodes the DER (X.690) values Gantry writes: the parts of a PKCS#8 key and of a certificate. */
public final class DerWriter {

  private DerWriter() {
  }

  /** A value with {@code tag} whose content is {@code parts}, each already encoded, in order. */
  public static byte[] tlv(int tag, byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  public static byte[] sequence(byte[]... parts) {
    return tlv(DerReader.SEQUENCE, parts);
  }

  /** A context-specific constructed tag {@code [number]}, as used for EXPLICIT tagging. */
  public static byte[] explicit(int number, byte[]... parts) {
    return tlv(0xa0 | number, parts);
  }

  public static byte[] integer(BigInteger value) {
    return tlv(DerReader.INTEGER, value.toByteArray());
  }

  public static byte[] integer(long value) {
    return integer(BigInteger.valueOf(value));
  }

  public static byte[] octetString(byte[] content) {
    return tlv(DerReader.OCTET_STRING, content);
  }

  /** A BIT STRING of whole bytes, or with {@code unusedBits} trailing bits of its last byte unused. */
  public static byte[] bitString(int unusedBits, byte[] content) {
    byte[] body = new byte[content.length + 1];
    body[0] = (byte) unusedBits;
    System.arraycopy(content, 0, body, 1, content.length);
    return tlv(0x03, body);
  }

  public static byte[] bool(boolean value) {
    return tlv(0x01, new byte[] {(byte) (value ? 0xff : 0)});
  }

  public static byte[] nullValue() {
    return new byte[] {0x05, 0x00};
  }

  /** An OBJECT IDENTIFIER from its dotted form. */
  public static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      base128(out, Long.parseLong(arcs[i]));
    }
    return tlv(DerReader.OID, out.toByteArray());
  }

  private static void base128(ByteArrayOutputStream out, long arc) {
    int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
    for (int g = groups - 1; g >= 0; g--) {
      int bits = (int) (arc >>> (7 * g)) & 0x7f;
      out.write(g == 0 ? bits : bits | 0x80);
    }
  }
}
