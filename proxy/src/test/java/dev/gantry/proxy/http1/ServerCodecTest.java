package dev.gantry.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServerCodecTest {

  private final EmbeddedChannel channel = new EmbeddedChannel(codec());

  private static ServerCodec codec() {
    return new ServerCodec(new HttpDecoderConfig().setMaxInitialLineLength(100).setMaxHeaderSize(1000)
        .setStrictLineParsing(true).setUseRfc9112TransferEncoding(true), 100, 1000);
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private List<Object> feed(String text) {
    channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    List<Object> out = new ArrayList<>();
    Object m;
    while ((m = channel.readInbound()) != null) {
      out.add(m);
    }
    return out;
  }

  private static int refusal(Object msg) {
    assertThat(msg).isInstanceOf(HttpRequest.class);
    Throwable cause = ((HttpRequest) msg).decoderResult().cause();
    assertThat(cause).isInstanceOf(RejectedHead.class);
    return ((RejectedHead) cause).status();
  }

  @Test
  void nettyAloneUnfoldsObsoleteLineFoldingWhichTheCodecRefuses() {
    String folded = "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n 2\r\n\r\n";
    EmbeddedChannel netty =
        new EmbeddedChannel(new HttpServerCodec(new HttpDecoderConfig().setStrictLineParsing(true)));
    netty.writeInbound(Unpooled.copiedBuffer(folded, StandardCharsets.ISO_8859_1));
    HttpRequest unfolded = netty.readInbound();
    assertThat(unfolded.decoderResult().isSuccess()).isTrue();
    assertThat(unfolded.headers().get("X-A")).isEqualTo("1 2");
    netty.finishAndReleaseAll();

    assertThat(refusal(feed(folded).get(0))).isEqualTo(400);
  }

  @Test
  void aHeadArrivingByteByByteIsDecodedOnceComplete() {
    String head = "GET /x HTTP/1.1\r\nHost: h\r\n\r\n";
    List<Object> out = new ArrayList<>();
    for (char c : head.toCharArray()) {
      out.addAll(feed(String.valueOf(c)));
    }
    assertThat(out).hasSize(2);
    assertThat(((HttpRequest) out.get(0)).uri()).isEqualTo("/x");
    assertThat(out.get(1)).isInstanceOf(LastHttpContent.class);
  }

  @Test
  void aBareLfIsRefusedAtOnceRatherThanWaitedOn() {
    List<Object> out = feed("GET / HTTP/1.1\nHost: h\n\n");
    assertThat(refusal(out.get(0))).isEqualTo(400);
  }

  @Test
  void aFirstLineTooLongIs414BeforeTheHeadEnds() {
    assertThat(refusal(feed("GET /" + "a".repeat(200)).get(0))).isEqualTo(414);
  }

  @Test
  void aHeadTooLargeIs431() {
    assertThat(refusal(feed("GET / HTTP/1.1\r\nX: " + "a".repeat(3000)).get(0))).isEqualTo(431);
  }

  @Test
  void eachPipelinedHeadIsCheckedAndNothingAfterARefusalIsRead() {
    List<Object> out = feed("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET  /2 HTTP/1.1\r\nHost: h\r\n\r\n"
        + "GET /3 HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(out).hasSize(3);
    assertThat(((HttpRequest) out.get(0)).uri()).isEqualTo("/1");
    assertThat(refusal(out.get(2))).isEqualTo(400);
    out.forEach(ReferenceCountUtil::release);
  }

  @Test
  void leadingEmptyLinesAreIgnored() {
    List<Object> out = feed("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(((HttpRequest) out.get(0)).decoderResult().isSuccess()).isTrue();
  }

  @Test
  void aResponseToHeadGetsNoBodyEvenWhenItSaysChunked() {
    feed("HEAD / HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");
    DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    channel.writeOutbound(head, LastHttpContent.EMPTY_LAST_CONTENT);
    assertThat(outbound()).endsWith("transfer-encoding: chunked\r\n\r\n");
    DefaultHttpResponse get = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    get.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    channel.writeOutbound(get, LastHttpContent.EMPTY_LAST_CONTENT);
    assertThat(outbound()).endsWith("\r\n\r\n0\r\n\r\n");
  }

  private String outbound() {
    StringBuilder s = new StringBuilder();
    Object m;
    while ((m = channel.readOutbound()) != null) {
      ByteBuf b = (ByteBuf) m;
      s.append(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    return s.toString();
  }

  @Test
  void headersAreMadeWithoutNettysSecondCheckYetBadNamesAndValuesInAnyHeadAreStillRefused() {
    List<Object> first = feed("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    // Netty would refuse this name itself if it still checked: the raw check before it is the only one.
    ((HttpRequest) first.get(0)).headers().add("not a token", "x");
    first.forEach(ReferenceCountUtil::release);
    // The second head of the connection is checked as the first was.
    assertThat(refusal(feed("GET / HTTP/1.1\r\nHost: h\r\nX A: 1\r\n\r\n").get(0))).isEqualTo(400);
    for (String field : List.of("X(A): 1", "X-A: a\u0001b", "X-A: a\u007fb", "X-A: a\u0000b")) {
      EmbeddedChannel fresh = new EmbeddedChannel(codec());
      fresh.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: h\r\n" + field + "\r\n\r\n",
          StandardCharsets.ISO_8859_1));
      assertThat(refusal(fresh.readInbound())).as(field).isEqualTo(400);
      fresh.finishAndReleaseAll();
    }
  }

  @Test
  void trailersTheRawCheckNeverSeesAreStillCheckedByNetty() {
    List<Object> out = feed("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "0\r\nNot A Token: x\r\n\r\n");
    assertThat(out.get(out.size() - 1)).isInstanceOf(LastHttpContent.class);
    assertThat(((LastHttpContent) out.get(out.size() - 1)).decoderResult().isFailure()).isTrue();
    out.forEach(ReferenceCountUtil::release);
  }
}
