package dev.gantry.proxy.l4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.proxy.testing.ClientHelloBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The server name of real ClientHellos, and refusal of ones whose lengths do not add up. */
class ClientHellosTest {

  static String sni(byte[] body) {
    ByteBuf b = Unpooled.wrappedBuffer(body);
    try {
      return ClientHellos.serverName(b);
    } finally {
      b.release();
    }
  }

  @Test
  void readsTheServerNameOfARealClientHello() {
    assertThat(sni(ClientHelloBytes.body(ClientHelloBytes.record("shop.example.com")))).isEqualTo("shop.example.com");
  }

  @Test
  void lowerCasesTheName() {
    assertThat(sni(ClientHelloBytes.body(ClientHelloBytes.record("Shop.Example.COM")))).isEqualTo("shop.example.com");
  }

  @Test
  void aClientHelloWithoutServerNameHasNone() {
    assertThat(sni(ClientHelloBytes.body(ClientHelloBytes.record(null)))).isNull();
  }

  @Test
  void aMinimalClientHelloWithoutExtensionsHasNone() {
    byte[] body = new byte[2 + 32 + 1 + 2 + 2 + 1 + 1];
    body[0] = 3;
    body[1] = 3;
    body[35] = 0;
    body[36] = 2;
    body[38] = 0x2f;
    body[39] = 1;
    assertThat(sni(body)).isNull();
  }

  @Test
  void everyTruncationIsMalformedNeverAnException() {
    byte[] body = ClientHelloBytes.body(ClientHelloBytes.record("shop.example.com"));
    for (int cut = 1; cut < body.length; cut++) {
      byte[] shorter = java.util.Arrays.copyOf(body, cut);
      try {
        String name = sni(shorter);
        // Cutting exactly after the compression methods leaves a valid hello without extensions.
        assertThat(name).isNull();
      } catch (ClientHellos.MalformedClientHelloException expected) {
        // fine
      }
    }
  }

  @Test
  void inconsistentLengthsAreMalformed() {
    byte[] body = ClientHelloBytes.body(ClientHelloBytes.record("shop.example.com"));
    int sessionLength = body[34] & 0xff;
    byte[] bad = body.clone();
    bad[34] = (byte) 0xff;
    assertThatThrownBy(() -> sni(bad)).isInstanceOf(ClientHellos.MalformedClientHelloException.class);
    byte[] oddCiphers = body.clone();
    oddCiphers[35 + sessionLength + 1] |= 1;
    assertThatThrownBy(() -> sni(oddCiphers)).isInstanceOf(ClientHellos.MalformedClientHelloException.class);
    byte[] longer = java.util.Arrays.copyOf(body, body.length + 3);
    assertThatThrownBy(() -> sni(longer)).hasMessageContaining("extensions end");
  }

  @Test
  void aServerNameThatIsNoHostNameIsMalformed() {
    byte[] body = ClientHelloBytes.body(ClientHelloBytes.record("shop.example.com"));
    String text = new String(body, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("shop.example.com");
    byte[] bad = body.clone();
    bad[at + 4] = '/';
    assertThatThrownBy(() -> sni(bad)).hasMessageContaining("character 0x2f");
  }

  @Test
  void aServerNameWithAnEmptyLabelIsMalformed() {
    // found by ClientHellosFuzzTest: "..." came back as the host name ".."
    for (String name : new String[] {"...", "..", ".shop.example.com", "shop..example.com", "shop.example.com.."}) {
      byte[] body = ClientHellosFuzzTest.clientHello(new byte[0], name.getBytes(StandardCharsets.US_ASCII), new byte[0]);
      assertThatThrownBy(() -> sni(body)).as(name).hasMessageContaining("empty label");
    }
    byte[] rooted = ClientHellosFuzzTest.clientHello(new byte[0], "shop.example.com.".getBytes(StandardCharsets.US_ASCII),
        new byte[0]);
    assertThat(sni(rooted)).isEqualTo("shop.example.com");
  }
}
