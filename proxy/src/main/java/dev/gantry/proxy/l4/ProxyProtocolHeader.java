package dev.gantry.proxy.l4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * The PROXY protocol header (HAProxy's spec, versions 1 and 2) that tells a TCP backend the client's address:
 * the first bytes sent on the backend connection, before anything the client sent.
 */
public final class ProxyProtocolHeader {

  /** The 12-byte signature of version 2. */
  static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
  private static final int V2_PROXY_COMMAND = 0x21;
  private static final int V2_TCP4 = 0x11;
  private static final int V2_TCP6 = 0x21;
  private static final int V2_UNSPEC = 0x00;
  /** TLV carrying the host name the client asked for (its SNI). */
  static final int PP2_TYPE_AUTHORITY = 0x02;

  private ProxyProtocolHeader() {
  }

  /** {@code PROXY TCP4 src dst sport dport\r\n} (TCP6 when either side is IPv6), or {@code PROXY UNKNOWN}. */
  public static ByteBuf v1(ByteBufAllocator alloc, InetSocketAddress source, InetSocketAddress destination) {
    String line;
    Pair p = Pair.of(source, destination);
    if (p == null) {
      line = "PROXY UNKNOWN\r\n";
    } else {
      line = "PROXY " + (p.v6 ? "TCP6 " : "TCP4 ") + text(p.src) + " " + text(p.dst) + " "
          + source.getPort() + " " + destination.getPort() + "\r\n";
    }
    byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
    return alloc.buffer(bytes.length).writeBytes(bytes);
  }

  /**
   * The binary header: addresses and ports, then, when {@code authority} is not null, a PP2_TYPE_AUTHORITY
   * TLV with it (the SNI of a TLS-passthrough connection).
   */
  public static ByteBuf v2(ByteBufAllocator alloc, InetSocketAddress source, InetSocketAddress destination,
      String authority) {
    Pair p = Pair.of(source, destination);
    byte[] tlv = authority == null ? new byte[0] : authority.getBytes(StandardCharsets.US_ASCII);
    int addressLength = p == null ? 0 : p.v6 ? 36 : 12;
    int tlvLength = tlv.length == 0 ? 0 : 3 + tlv.length;
    ByteBuf out = alloc.buffer(16 + addressLength + tlvLength);
    out.writeBytes(V2_SIGNATURE);
    out.writeByte(V2_PROXY_COMMAND);
    out.writeByte(p == null ? V2_UNSPEC : p.v6 ? V2_TCP6 : V2_TCP4);
    out.writeShort(addressLength + tlvLength);
    if (p != null) {
      out.writeBytes(p.src.getAddress());
      out.writeBytes(p.dst.getAddress());
      out.writeShort(source.getPort());
      out.writeShort(destination.getPort());
    }
    if (tlvLength > 0) {
      out.writeByte(PP2_TYPE_AUTHORITY);
      out.writeShort(tlv.length);
      out.writeBytes(tlv);
    }
    return out;
  }

  /** The address without an IPv6 scope ({@code %eth0}), which the header has no room for. */
  private static String text(InetAddress a) {
    String s = a.getHostAddress();
    int scope = s.indexOf('%');
    return scope < 0 ? s : s.substring(0, scope);
  }

  /** Both addresses in one family: IPv4 when both are, else IPv6 (an IPv4 address mapped into it). */
  private record Pair(InetAddress src, InetAddress dst, boolean v6) {

    static Pair of(InetSocketAddress source, InetSocketAddress destination) {
      if (source == null || destination == null || source.getAddress() == null
          || destination.getAddress() == null) {
        return null;
      }
      InetAddress s = source.getAddress();
      InetAddress d = destination.getAddress();
      if (s instanceof Inet4Address && d instanceof Inet4Address) {
        return new Pair(s, d, false);
      }
      return new Pair(v6(s), v6(d), true);
    }

    private static InetAddress v6(InetAddress a) {
      if (a instanceof Inet6Address) {
        return a;
      }
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(a.getAddress(), 0, mapped, 12, 4);
      try {
        // getByAddress would turn a mapped address back into IPv4; build the IPv6 form explicitly.
        return Inet6Address.getByAddress(null, mapped, -1);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
