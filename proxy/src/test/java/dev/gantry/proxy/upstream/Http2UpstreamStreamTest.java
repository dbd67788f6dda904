package dev.gantry.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import org.junit.jupiter.api.Test;

/** The adapter between an HTTP/2 stream to a backend and the exchange, on an embedded channel. */
class Http2UpstreamStreamTest {

  final UpstreamConnection connection = new UpstreamConnection();
  final EmbeddedChannel ch = new EmbeddedChannel(new Http2UpstreamStream(connection));

  @Test
  void aWholeResponseBecomesAnEndStreamHeadAndAnEmptyLastPartWithoutTheCodecsHeaders() {
    DefaultFullHttpResponse whole = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.EMPTY_BUFFER);
    whole.headers().set("grpc-status", "5").set("x-http2-stream-id", "3");

    ch.writeInbound(whole);

    HttpResponse head = ch.readInbound();
    assertThat(head).isInstanceOf(EndStreamResponse.class);
    assertThat(head.headers().get("grpc-status")).isEqualTo("5");
    assertThat(head.headers().contains("x-http2-stream-id")).isFalse();
    LastHttpContent last = ch.readInbound();
    assertThat(last.content().isReadable()).isFalse();
    assertThat(last.trailingHeaders().isEmpty()).isTrue();
    last.release();
  }

  @Test
  void anInterimResponseIsAnOrdinaryHeadSoTheExchangeSkipsIt() {
    ch.writeInbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));

    HttpResponse head = ch.readInbound();
    assertThat(head).isNotInstanceOf(EndStreamResponse.class);
    assertThat(head.status().code()).isEqualTo(100);
    ((LastHttpContent) ch.readInbound()).release();
  }

  @Test
  void onlyARefusedStreamOrAGoAwayBeforeAnyAnswerMarksTheRequestUnprocessed() {
    ch.pipeline().fireUserEventTriggered(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR));
    assertThat(connection.refused()).isFalse();

    ch.pipeline().fireUserEventTriggered(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
    assertThat(connection.refused()).isTrue();

    UpstreamConnection answered = new UpstreamConnection();
    EmbeddedChannel other = new EmbeddedChannel(new Http2UpstreamStream(answered));
    other.writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
    other.pipeline().fireUserEventTriggered(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
    assertThat(answered.refused()).as("the backend answered: it did process the request").isFalse();

    UpstreamConnection leftOut = new UpstreamConnection();
    new EmbeddedChannel(new Http2UpstreamStream(leftOut)).pipeline()
        .fireUserEventTriggered(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
    assertThat(leftOut.refused()).isTrue();
  }
}
