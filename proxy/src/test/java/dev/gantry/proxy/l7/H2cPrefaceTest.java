package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class H2cPrefaceTest {

  static final String PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

  final AtomicInteger switches = new AtomicInteger();
  final EmbeddedChannel ch = new EmbeddedChannel(new H2cPreface(at -> switches.incrementAndGet()));

  static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  /** Everything that came out of the handler, as one string. */
  String passedOn() {
    StringBuilder out = new StringBuilder();
    ByteBuf b;
    while ((b = ch.readInbound()) != null) {
      out.append(b.toString(StandardCharsets.US_ASCII));
      b.release();
    }
    return out.toString();
  }

  @Test
  void thePrefaceInPiecesSwitchesToHttp2AndIsPassedOnWhole() {
    ch.writeInbound(ascii("PRI * HT"));
    ch.writeInbound(ascii("TP/2.0\r\n\r\nSM"));
    assertThat(switches).hasValue(0);
    assertThat(passedOn()).isEmpty();
    ch.writeInbound(ascii("\r\n\r\nframes"));
    assertThat(switches).hasValue(1);
    assertThat(passedOn()).isEqualTo(PREFACE + "frames");
    assertThat(ch.pipeline().get(H2cPreface.class)).isNull();
  }

  @Test
  void anHttp1RequestPassesUntouchedAndTheHandlerStepsAside() {
    ch.writeInbound(ascii("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
    assertThat(switches).hasValue(0);
    assertThat(passedOn()).isEqualTo("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    assertThat(ch.pipeline().get(H2cPreface.class)).isNull();
  }

  @Test
  void bytesThatStopBeingThePrefaceArePassedOnAsTheyCame() {
    ch.writeInbound(ascii("PRI * HTTP/"));
    ch.writeInbound(ascii("1.1\r\nHost: a\r\n\r\n"));
    assertThat(switches).hasValue(0);
    assertThat(passedOn()).isEqualTo("PRI * HTTP/1.1\r\nHost: a\r\n\r\n");
  }
}
