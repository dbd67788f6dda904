package dev.gantry.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadSyntaxTest {

  private static final String BASE = "GET /a?b=c HTTP/1.1\r\nHost: h\r\nX-Long: one, two\r\nAccept: */*\r\n\r\n";
  /** Bytes that matter to the grammar. */
  private static final byte[] ALPHABET = {' ', '\t', '\r', '\n', ':', ',', 'a', 'Z', '0', '/', '#', '%', 0,
      1, 0x0b, 0x7f, (byte) 0xe9, (byte) 0xff, '(', '"'};

  private static RejectedHead check(byte[] head) {
    return HeadSyntax.request(head, 0, head.length);
  }

  @Test
  void aPlainHeadIsAccepted() {
    assertThat(check(BASE.getBytes(StandardCharsets.ISO_8859_1))).isNull();
  }

  /**
   * Random mutations of a valid head: the check never throws, and every head it accepts is one Netty's
   * strict decoder also decodes, to the same number of fields (nothing folded, merged or dropped).
   */
  @Test
  void everyHeadTheCheckAcceptsNettyDecodesFieldForField() {
    Random random = new Random(20261129);
    byte[] base = BASE.getBytes(StandardCharsets.ISO_8859_1);
    int accepted = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] head = mutate(base, random, 1 + random.nextInt(3));
      int end = headEnd(head);
      if (end < 0) {
        continue;
      }
      byte[] complete = java.util.Arrays.copyOf(head, end);
      if (check(complete) != null) {
        continue;
      }
      accepted++;
      EmbeddedChannel netty = new EmbeddedChannel(new HttpServerCodec(new HttpDecoderConfig()
          .setStrictLineParsing(true).setUseRfc9112TransferEncoding(true)));
      netty.writeInbound(Unpooled.wrappedBuffer(complete));
      HttpRequest req = netty.readInbound();
      String text = new String(complete, StandardCharsets.ISO_8859_1);
      int fieldLines = text.split("\r\n", -1).length - 3;
      if (req.decoderResult().isSuccess()) {
        assertThat(req.headers().size()).as(text).isEqualTo(fieldLines);
      }
      ReferenceCountUtil.release(req);
      netty.finishAndReleaseAll();
    }
    assertThat(accepted).isGreaterThan(100);
  }

  private static byte[] mutate(byte[] base, Random random, int edits) {
    byte[] b = base.clone();
    for (int e = 0; e < edits; e++) {
      int at = random.nextInt(b.length);
      byte c = ALPHABET[random.nextInt(ALPHABET.length)];
      switch (random.nextInt(3)) {
        case 0 -> b[at] = c;
        case 1 -> {
          byte[] n = new byte[b.length + 1];
          System.arraycopy(b, 0, n, 0, at);
          n[at] = c;
          System.arraycopy(b, at, n, at + 1, b.length - at);
          b = n;
        }
        default -> {
          byte[] n = new byte[b.length - 1];
          System.arraycopy(b, 0, n, 0, at);
          System.arraycopy(b, at + 1, n, at, b.length - at - 1);
          b = n;
        }
      }
    }
    return b;
  }

  /** Where the first CRLFCRLF ends, or -1. */
  private static int headEnd(byte[] b) {
    for (int i = 3; i < b.length; i++) {
      if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
        return i + 1;
      }
    }
    return -1;
  }

  @Test
  void aStatusLineMayLackItsReasonButNotItsCodeDigits() {
    assertThat(HeadSyntax.response(buf("HTTP/1.1 200\r\n\r\n"), 0, 16)).isNull();
    assertThat(HeadSyntax.response(buf("HTTP/1.1 200 \r\n\r\n"), 0, 17)).isNull();
    assertThat(HeadSyntax.response(buf("HTTP/1.1 20\r\n\r\n"), 0, 15)).isNotNull();
    assertThat(HeadSyntax.response(buf("HTTP/1.1  200 OK\r\n\r\n"), 0, 20)).isNotNull();
  }

  private static byte[] buf(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
