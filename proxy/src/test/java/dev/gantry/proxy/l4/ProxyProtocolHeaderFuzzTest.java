package dev.gantry.proxy.l4;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Both PROXY protocol headers for any pair of addresses (IPv4, IPv6, mixed, scoped) and ports, with any
 * server name as authority: Netty's independent decoder reads back what was put in, and a version 1 line
 * stays within the spec's 107 bytes. The input is laid out as: flags, source address, destination address,
 * source port, destination port, then the server name; seeded with the addresses of real connections.
 */
class ProxyProtocolHeaderFuzzTest {

  private static final byte[] HOST_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789.-_".getBytes(StandardCharsets.US_ASCII);

  @FuzzTest(maxDuration = "4s")
  void headersReadBackAsTheAddressesTheyWereGiven(byte[] input) throws UnknownHostException {
    ByteBuffer in = ByteBuffer.wrap(input);
    if (!in.hasRemaining()) {
      return;
    }
    int flags = in.get();
    InetAddress src = address(in, (flags & 1) != 0, (flags & 8) != 0);
    InetAddress dst = address(in, (flags & 2) != 0, (flags & 16) != 0);
    if (src == null || dst == null || in.remaining() < 4) {
      return;
    }
    // a TCP connection has no port 0 at either end (and the decoder refuses it)
    InetSocketAddress source = new InetSocketAddress(src, Math.max(1, in.getShort() & 0xffff));
    InetSocketAddress destination = new InetSocketAddress(dst, Math.max(1, in.getShort() & 0xffff));
    String authority = (flags & 4) == 0 ? null : hostName(in);
    boolean v6 = !(src instanceof Inet4Address && dst instanceof Inet4Address);

    ByteBuf v1 = ProxyProtocolHeader.v1(ByteBufAllocator.DEFAULT, source, destination);
    assertThat(v1.readableBytes()).as("length of a version 1 line").isLessThanOrEqualTo(107);
    HAProxyMessage m1 = ProxyProtocolHeaderTest.decode(v1);
    try {
      assertThat(m1.protocolVersion()).isEqualTo(HAProxyProtocolVersion.V1);
      assertAddresses(m1, source, destination, v6);
    } finally {
      m1.release();
    }

    HAProxyMessage m2 = ProxyProtocolHeaderTest.decode(ProxyProtocolHeader.v2(ByteBufAllocator.DEFAULT, source,
        destination, authority));
    try {
      assertThat(m2.protocolVersion()).isEqualTo(HAProxyProtocolVersion.V2);
      assertAddresses(m2, source, destination, v6);
      if (authority == null || authority.isEmpty()) {
        assertThat(m2.tlvs()).isEmpty();
      } else {
        assertThat(m2.tlvs()).hasSize(1);
        HAProxyTLV tlv = m2.tlvs().get(0);
        assertThat(tlv.type()).isEqualTo(HAProxyTLV.Type.PP2_TYPE_AUTHORITY);
        assertThat(tlv.content().toString(StandardCharsets.US_ASCII)).isEqualTo(authority);
      }
    } finally {
      m2.release();
    }
  }

  private static void assertAddresses(HAProxyMessage m, InetSocketAddress source, InetSocketAddress destination,
      boolean v6) throws UnknownHostException {
    assertThat(m.proxiedProtocol()).isEqualTo(v6 ? HAProxyProxiedProtocol.TCP6 : HAProxyProxiedProtocol.TCP4);
    assertThat(sameAddress(m.sourceAddress(), source.getAddress(), v6)).as("source %s", m.sourceAddress()).isTrue();
    assertThat(sameAddress(m.destinationAddress(), destination.getAddress(), v6))
        .as("destination %s", m.destinationAddress()).isTrue();
    assertThat(m.sourcePort()).isEqualTo(source.getPort());
    assertThat(m.destinationPort()).isEqualTo(destination.getPort());
  }

  /** The decoded text names the address sent, as IPv6 (an IPv4 address mapped into it) when the pair is. */
  private static boolean sameAddress(String decoded, InetAddress sent, boolean v6) throws UnknownHostException {
    byte[] expected = sent.getAddress();
    if (v6 && expected.length == 4) {
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(expected, 0, mapped, 12, 4);
      expected = mapped;
    }
    byte[] actual = v6 ? Inet6Address.getByAddress(null, textToBytes(decoded), -1).getAddress()
        : InetAddress.getByName(decoded).getAddress();
    return Arrays.equals(actual, expected);
  }

  /** An IPv6 address's sixteen bytes from its text, without a name lookup and without turning mapped into IPv4. */
  private static byte[] textToBytes(String text) throws UnknownHostException {
    InetAddress a = InetAddress.getByName(text.contains(":") ? "[" + text + "]" : text);
    if (a instanceof Inet6Address) {
      return a.getAddress();
    }
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    System.arraycopy(a.getAddress(), 0, mapped, 12, 4);
    return mapped;
  }

  /** Four or sixteen bytes of the input as an address (IPv6 with a scope when asked), or null if too few. */
  private static InetAddress address(ByteBuffer in, boolean v6, boolean scoped) throws UnknownHostException {
    byte[] bytes = new byte[v6 ? 16 : 4];
    if (in.remaining() < bytes.length + (scoped ? 1 : 0)) {
      return null;
    }
    in.get(bytes);
    if (!v6) {
      return Inet4Address.getByAddress(bytes);
    }
    return Inet6Address.getByAddress(null, bytes, scoped ? in.get() & 0x7f : -1);
  }

  /** At most 255 characters of a host name, from the rest of the input. */
  private static String hostName(ByteBuffer in) {
    StringBuilder name = new StringBuilder();
    while (in.hasRemaining() && name.length() < 255) {
      name.append((char) HOST_CHARACTERS[(in.get() & 0xff) % HOST_CHARACTERS.length]);
    }
    return name.toString();
  }
}
