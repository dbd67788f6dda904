package dev.gantry.proxy.l4;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The headers, read back by Netty's own PROXY protocol decoder (an implementation independent of ours). */
class ProxyProtocolHeaderTest {

  static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 51000);
  static final InetSocketAddress LISTENER = new InetSocketAddress("198.51.100.1", 443);

  static HAProxyMessage decode(ByteBuf header) {
    EmbeddedChannel ch = new EmbeddedChannel(new HAProxyMessageDecoder());
    ch.writeInbound(header);
    HAProxyMessage m = ch.readInbound();
    ch.finishAndReleaseAll();
    return m;
  }

  @Test
  void version1IsOneLine() {
    ByteBuf b = ProxyProtocolHeader.v1(ByteBufAllocator.DEFAULT, CLIENT, LISTENER);
    assertThat(b.toString(StandardCharsets.US_ASCII)).isEqualTo("PROXY TCP4 192.0.2.10 198.51.100.1 51000 443\r\n");
    HAProxyMessage m = decode(b);
    assertThat(m.protocolVersion()).isEqualTo(HAProxyProtocolVersion.V1);
    assertThat(m.sourceAddress()).isEqualTo("192.0.2.10");
    assertThat(m.sourcePort()).isEqualTo(51000);
    m.release();
  }

  @Test
  void version1OfIpv6() {
    InetSocketAddress v6 = new InetSocketAddress("2001:db8::1", 40000);
    ByteBuf b = ProxyProtocolHeader.v1(ByteBufAllocator.DEFAULT, v6, new InetSocketAddress("2001:db8::2", 443));
    HAProxyMessage m = decode(b);
    assertThat(m.proxiedProtocol()).isEqualTo(HAProxyProxiedProtocol.TCP6);
    assertThat(m.sourceAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
    m.release();
  }

  @Test
  void version2WithTheServerNameAsAuthority() {
    HAProxyMessage m = decode(ProxyProtocolHeader.v2(ByteBufAllocator.DEFAULT, CLIENT, LISTENER, "shop.example.com"));
    assertThat(m.protocolVersion()).isEqualTo(HAProxyProtocolVersion.V2);
    assertThat(m.command()).isEqualTo(HAProxyCommand.PROXY);
    assertThat(m.proxiedProtocol()).isEqualTo(HAProxyProxiedProtocol.TCP4);
    assertThat(m.sourceAddress()).isEqualTo("192.0.2.10");
    assertThat(m.sourcePort()).isEqualTo(51000);
    assertThat(m.destinationAddress()).isEqualTo("198.51.100.1");
    assertThat(m.destinationPort()).isEqualTo(443);
    assertThat(m.tlvs()).hasSize(1);
    HAProxyTLV tlv = m.tlvs().get(0);
    assertThat(tlv.type()).isEqualTo(HAProxyTLV.Type.PP2_TYPE_AUTHORITY);
    assertThat(tlv.content().toString(StandardCharsets.US_ASCII)).isEqualTo("shop.example.com");
    m.release();
  }

  @Test
  void version2MapsMixedFamiliesToIpv6() {
    HAProxyMessage m = decode(ProxyProtocolHeader.v2(ByteBufAllocator.DEFAULT, CLIENT,
        new InetSocketAddress("2001:db8::2", 443), null));
    assertThat(m.proxiedProtocol()).isEqualTo(HAProxyProxiedProtocol.TCP6);
    assertThat(m.sourceAddress()).isEqualTo("0:0:0:0:0:ffff:c000:20a");
    assertThat(m.tlvs()).isEmpty();
    m.release();
  }
}
