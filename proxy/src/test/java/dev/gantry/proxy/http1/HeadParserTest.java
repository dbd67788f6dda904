package dev.gantry.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map.Entry;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadParserTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void aRequestHeadBecomesItsMessageAndCountsItsLinesWithoutTheirEnds() {
    String head = "PATCH /items/7?x=%20 HTTP/1.0\r\nHost: shop\r\nX-Trace-Id:abc \r\n\r\n";
    byte[] in = bytes(head);
    HeadParser.Parsed<HttpRequest> parsed = HeadParser.request(in, head.length());

    HttpRequest req = parsed.message();
    assertThat(req.method()).isSameAs(HttpMethod.PATCH);
    assertThat(req.uri()).isEqualTo("/items/7?x=%20");
    assertThat(req.protocolVersion()).isSameAs(HttpVersion.HTTP_1_0);
    assertThat(req.headers().get("x-trace-id")).isEqualTo("abc");
    assertThat(parsed.firstLineBytes()).isEqualTo("PATCH /items/7?x=%20 HTTP/1.0".length());
    assertThat(parsed.fieldBytes()).isEqualTo("Host: shop".length() + "X-Trace-Id:abc ".length());
    assertThat(parsed.lengthFields()).isZero();
  }

  @Test
  void contentLengthFieldsAreCountedWhateverTheirCase() {
    String head = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\ncontent-LENGTH: 3\r\nX-Length: 1\r\n\r\n";
    assertThat(HeadParser.request(bytes(head), head.length()).lengthFields()).isEqualTo(2);
  }

  @Test
  void commonNamesAreSharedAndOthersCopied() {
    String head = "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nX-Mine: b\r\nhost: c\r\n\r\n";
    byte[] in = bytes(head);
    Iterator<Entry<CharSequence, CharSequence>> fields =
        HeadParser.request(in, head.length()).message().headers().iteratorCharSequence();
    CharSequence host = fields.next().getKey();
    CharSequence length = fields.next().getKey();
    CharSequence mine = fields.next().getKey();
    CharSequence lowerHost = fields.next().getKey();
    assertThat(host).isSameAs(HeadParser.request(in, head.length()).message().headers()
        .iteratorCharSequence().next().getKey());
    assertThat(length).hasToString("Content-Length");
    assertThat(mine).isInstanceOf(AsciiString.class).hasToString("X-Mine");
    assertThat(lowerHost).as("a name is kept as it was spelt").hasToString("host");
  }

  @Test
  void aStatusLineWithOrWithoutAReasonPhrase() {
    String ok = "HTTP/1.1 200 OK\r\nServer: s\r\n\r\n";
    byte[] in = bytes(ok);
    HttpResponse res = HeadParser.response(in, ok.length()).message();
    assertThat(res.status()).isSameAs(HttpResponseStatus.OK);
    String own = "HTTP/1.1 200 Fine \r\n\r\n";
    assertThat(HeadParser.response(bytes(own), own.length()).message().status().reasonPhrase()).isEqualTo("Fine");
    assertThat(res.protocolVersion()).isSameAs(HttpVersion.HTTP_1_1);

    String bare = "HTTP/1.0 404\r\n\r\n";
    in = bytes(bare);
    HeadParser.Parsed<HttpResponse> parsed = HeadParser.response(in, bare.length());
    assertThat(parsed.message().status().code()).isEqualTo(404);
    assertThat(parsed.message().status().reasonPhrase()).isEmpty();
    assertThat(parsed.message().headers().isEmpty()).isTrue();
    assertThat(parsed.firstLineBytes()).isEqualTo(12);
    assertThat(parsed.fieldBytes()).isZero();
  }

  @Test
  void aHeadLongerThanTheScratchArrayIsCopiedWhole() {
    String value = "v".repeat(10_000);
    String head = "GET / HTTP/1.1\r\nX-Big: " + value + "\r\n\r\n";
    ByteBuf in = Unpooled.copiedBuffer("ignored" + head, StandardCharsets.ISO_8859_1).skipBytes(7);
    byte[] copied = HeadParser.copy(in, head.length());
    assertThat(HeadParser.request(copied, head.length()).message().headers().get("X-Big")).isEqualTo(value);
    assertThat(in.readerIndex()).as("copying consumes nothing").isEqualTo(7);
    in.release();
  }

  @Test
  void indexOfFindsTheFirstByteAtEveryOffsetAndLengthAsAByteByByteSearchWould() {
    Random random = new Random(7);
    for (int length = 1; length <= 40; length++) {
      byte[] b = new byte[length];
      for (int round = 0; round < 200; round++) {
        for (int i = 0; i < length; i++) {
          // mostly bytes next to the one looked for, and bytes with the high bit set: what a borrow could mistake
          b[i] = (byte) switch (random.nextInt(4)) {
            case 0 -> '\r' + 1;
            case 1 -> '\r' - 1;
            case 2 -> 0x80 | '\r';
            default -> random.nextInt(256);
          };
        }
        int from = random.nextInt(length);
        int at = from + random.nextInt(length - from);
        b[at] = '\r';
        int expected = from;
        while (b[expected] != '\r') {
          expected++;
        }
        assertThat(HeadParser.indexOf(b, from, '\r')).as("length %d from %d", length, from).isEqualTo(expected);
      }
    }
  }
}
