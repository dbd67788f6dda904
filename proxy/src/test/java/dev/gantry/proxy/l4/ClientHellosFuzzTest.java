package dev.gantry.proxy.l4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The server name parser on any bytes. The first input byte chooses what the rest is: even, a ClientHello
 * body as is; odd, the parts of a well-formed ClientHello whose server name and neighbouring extensions come
 * from the input. Either way the parser reads nothing outside the body, leaves it unconsumed, and answers
 * a host name, no name, or "malformed"; a well-formed ClientHello gives back the name that was put in it.
 * Seeded with real ClientHellos of the JDK's TLS client.
 */
class ClientHellosFuzzTest {

  private static final int GUARD = 64;

  @FuzzTest(maxDuration = "8s")
  void anyBytesGiveAHostNameNoNameOrMalformed(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] rest = Arrays.copyOfRange(input, 1, input.length);
    if ((input[0] & 1) == 0) {
      parseAnywhere(rest);
    } else {
      roundTrip(rest);
    }
  }

  /** The body on its own, and inside bytes that would change the answer if they were read. */
  private static void parseAnywhere(byte[] body) {
    Outcome exact = parse(Unpooled.wrappedBuffer(body));
    if (exact.name != null) {
      assertThat(exact.name).hasSizeLessThanOrEqualTo(255).matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
    }
    for (byte fill : new byte[] {0x00, (byte) 0xff, 'a'}) {
      byte[] framed = new byte[GUARD + body.length + GUARD];
      Arrays.fill(framed, fill);
      System.arraycopy(body, 0, framed, GUARD, body.length);
      ByteBuf within = Unpooled.wrappedBuffer(framed).setIndex(GUARD, GUARD + body.length);
      assertThat(parse(within)).as("the same body between bytes of 0x%02x", fill).isEqualTo(exact);
    }
  }

  /** A ClientHello built around a server name from the input: the parser reads back that name. */
  private static void roundTrip(byte[] input) {
    if (input.length < 3) {
      return;
    }
    int nameLength = ((input[0] & 0xff) << 8 | (input[1] & 0xff)) % 300;
    int split = Math.min(input[2] & 0xff, input.length - 3);
    byte[] material = Arrays.copyOfRange(input, 3, input.length);
    byte[] name = Arrays.copyOf(Arrays.copyOfRange(material, 0, Math.min(nameLength, material.length)), nameLength);
    byte[] before = Arrays.copyOfRange(material, 0, Math.min(split, material.length));
    byte[] after = Arrays.copyOfRange(material, Math.min(split, material.length), material.length);
    byte[] body = clientHello(before, name, after);

    String text = new String(name, StandardCharsets.ISO_8859_1);
    String host = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    if (host.length() <= 255 && host.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
      assertThat(parse(Unpooled.wrappedBuffer(body))).isEqualTo(new Outcome(host.toLowerCase(Locale.ROOT), false));
    } else {
      assertThatThrownBy(() -> ClientHellos.serverName(Unpooled.wrappedBuffer(body)))
          .as("a server name of %s", Arrays.toString(name))
          .isInstanceOf(ClientHellos.MalformedClientHelloException.class);
    }
    parseAnywhere(body);
  }

  private record Outcome(String name, boolean malformed) {
  }

  /** Anything but a name, no name or "malformed" fails the test: an out-of-bounds read included. */
  private static Outcome parse(ByteBuf body) {
    int reader = body.readerIndex();
    int writer = body.writerIndex();
    try {
      return new Outcome(ClientHellos.serverName(body), false);
    } catch (ClientHellos.MalformedClientHelloException e) {
      return new Outcome(null, true);
    } finally {
      assertThat(body.readerIndex()).as("reader index").isEqualTo(reader);
      assertThat(body.writerIndex()).as("writer index").isEqualTo(writer);
    }
  }

  /** TLS 1.2 fields, one cipher suite, null compression, and the extensions: other, server_name, other. */
  static byte[] clientHello(byte[] before, byte[] name, byte[] after) {
    ByteArrayOutputStream extensions = new ByteArrayOutputStream();
    extension(extensions, 0x000a, before);
    ByteArrayOutputStream sni = new ByteArrayOutputStream();
    short16(sni, name.length + 3);
    sni.write(0);
    short16(sni, name.length);
    sni.writeBytes(name);
    extension(extensions, 0x0000, sni.toByteArray());
    extension(extensions, 0x0010, after);

    ByteArrayOutputStream hello = new ByteArrayOutputStream();
    hello.write(3);
    hello.write(3);
    hello.writeBytes(new byte[32]);
    hello.write(0);
    short16(hello, 2);
    short16(hello, 0x1301);
    hello.write(1);
    hello.write(0);
    short16(hello, extensions.size());
    hello.writeBytes(extensions.toByteArray());
    return hello.toByteArray();
  }

  private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
    short16(out, type);
    short16(out, data.length);
    out.writeBytes(data);
  }

  private static void short16(ByteArrayOutputStream out, int value) {
    out.write(value >> 8);
    out.write(value);
  }
}
