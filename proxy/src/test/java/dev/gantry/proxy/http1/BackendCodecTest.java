package dev.gantry.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BackendCodecTest {

  private final EmbeddedChannel channel = new EmbeddedChannel(new BackendCodec(new HttpDecoderConfig()
      .setStrictLineParsing(true).setUseRfc9112TransferEncoding(true), 100, 1000));

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private void send(HttpMethod method) {
    channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/"));
    Object m;
    while ((m = channel.readOutbound()) != null) {
      ReferenceCountUtil.release(m);
    }
  }

  private List<HttpObject> feed(String text) {
    channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    List<HttpObject> out = new ArrayList<>();
    Object m;
    while ((m = channel.readInbound()) != null) {
      out.add((HttpObject) m);
    }
    return out;
  }

  @Test
  void aResponseWithoutABodyEndsItsExchangeSoTheNextResponseIsFramedForItsOwnRequest() {
    send(HttpMethod.GET);
    send(HttpMethod.HEAD);
    send(HttpMethod.GET);
    List<HttpObject> out = feed("HTTP/1.1 204 No Content\r\n\r\n"
        + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
        + "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    assertThat(out).hasSize(8);
    assertThat(((HttpResponse) out.get(2)).status().code()).isEqualTo(200);
    assertThat(out.get(3)).as("the answer to HEAD has no body, whatever its Content-Length says")
        .isInstanceOf(LastHttpContent.class);
    assertThat(((HttpResponse) out.get(4)).status().code()).isEqualTo(100);
    assertThat(((HttpResponse) out.get(6)).status().code()).isEqualTo(200);
    assertThat(out).allMatch(o -> o.decoderResult().isSuccess());
    assertThat(feed("H").get(0).decoderResult().isFailure()).as("no fourth response is due").isTrue();
  }

  @Test
  void bytesWhenNoResponseIsDueAreAFailure() {
    assertThat(feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").get(0).decoderResult().isFailure()).isTrue();
  }

  @Test
  void bytesAfterACompleteResponseAreAFailureNotASecondResponse() {
    send(HttpMethod.GET);
    List<HttpObject> out = feed("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
        + "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nX");
    assertThat(out).hasSize(3);
    assertThat(((HttpContent) out.get(1)).content().toString(StandardCharsets.ISO_8859_1)).isEqualTo("abc");
    assertThat(out.get(1)).isInstanceOf(LastHttpContent.class);
    assertThat(out.get(2).decoderResult().cause()).isInstanceOf(RejectedHead.class);
    out.forEach(ReferenceCountUtil::release);
  }

  @Test
  void aResponseToHeadHasNoBody() {
    send(HttpMethod.HEAD);
    List<HttpObject> out = feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
    assertThat(out).hasSize(2);
    assertThat(out.get(1)).isInstanceOf(LastHttpContent.class);
    assertThat(((LastHttpContent) out.get(1)).content().isReadable()).isFalse();
  }

  @Test
  void anInterimResponseLeavesTheFinalOneDue() {
    send(HttpMethod.POST);
    List<HttpObject> out = feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    assertThat(out).hasSize(4);
    assertThat(((HttpResponse) out.get(2)).status().code()).isEqualTo(200);
    out.forEach(ReferenceCountUtil::release);
  }

  @Test
  void aStatusCodeOfFourDigitsIsRefusedThoughNettyWouldTakeIt() {
    send(HttpMethod.GET);
    HttpObject r = feed("HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n").get(0);
    assertThat(r.decoderResult().cause()).isInstanceOf(RejectedHead.class);
  }

  @Test
  void a101ToARequestWithoutUpgradeIsAFailure() {
    send(HttpMethod.GET);
    HttpObject r = feed("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\n").get(0);
    assertThat(r.decoderResult().cause()).isInstanceOf(RejectedHead.class);
  }

  @Test
  void afterA101TheBytesAreNotCheckedAsHeads() {
    DefaultFullHttpRequest upgrade = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    upgrade.headers().set("Upgrade", "websocket").set("Connection", "upgrade");
    channel.writeOutbound(upgrade);
    Object sent;
    while ((sent = channel.readOutbound()) != null) {
      ReferenceCountUtil.release(sent);
    }
    channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
        + "Connection: upgrade\r\n\r\nnot\r\n\r\nhttp", StandardCharsets.ISO_8859_1));
    Object m;
    int messages = 0;
    while ((m = channel.readInbound()) != null) {
      messages++;
      if (m instanceof HttpObject o) {
        assertThat(o.decoderResult().isSuccess()).isTrue();
      }
      ReferenceCountUtil.release(m);
    }
    assertThat(messages).isGreaterThan(1);
  }

  @Test
  void responseHeadersAreMadeWithoutNettysSecondCheckYetABadFieldIsStillRefused() {
    send(HttpMethod.GET);
    List<HttpObject> ok = feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    // Netty would refuse this value itself if it still checked: the raw check before it is the only one.
    ((HttpResponse) ok.get(0)).headers().add("X-A", "a\r\nb");
    send(HttpMethod.GET);
    HttpObject bad = feed("HTTP/1.1 200 OK\r\nX-A: a\u0001b\r\nContent-Length: 0\r\n\r\n").get(0);
    assertThat(bad.decoderResult().cause()).isInstanceOf(RejectedHead.class);
    assertThat(((RejectedHead) bad.decoderResult().cause()).status()).isEqualTo(502);
  }

  /** The bytes the codec writes for these messages, each written with a promise of its own. */
  private static String written(EmbeddedChannel ch, Object... messages) {
    StringBuilder bytes = new StringBuilder();
    for (Object m : messages) {
      ch.writeOutbound(m);
    }
    Object out;
    while ((out = ch.readOutbound()) != null) {
      ByteBuf b = (ByteBuf) out;
      bytes.append(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    return bytes.toString();
  }

  /** The same messages through Netty's own request encoder. */
  private static String writtenByNetty(Object... messages) {
    EmbeddedChannel netty = new EmbeddedChannel(new HttpRequestEncoder());
    try {
      return written(netty, messages);
    } finally {
      netty.finishAndReleaseAll();
    }
  }

  private static HttpRequest request(HttpMethod method, String uri, String... fields) {
    HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
    for (int i = 0; i < fields.length; i += 2) {
      req.headers().add(fields[i], fields[i + 1]);
    }
    return req;
  }

  private static LastHttpContent last(String text) {
    return new DefaultLastHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
  }

  private static HttpContent piece(String text) {
    return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
  }

  /** Requests framed by their length or without a body, one after another on a connection: new ones each call. */
  private static Object[] requestsFramedByLength() {
    return new Object[] {
        request(HttpMethod.GET, "/a?b=c", "Host", "example.test", "X-Two", "1", "X-Two", "2"),
        LastHttpContent.EMPTY_LAST_CONTENT,
        request(HttpMethod.POST, "/upload", "Host", "example.test", "Content-Length", "7"),
        piece("abc"), last("defg"),
        request(HttpMethod.GET, "", "Host", "h\u00e9\u20ac"),
        LastHttpContent.EMPTY_LAST_CONTENT,
        request(HttpMethod.OPTIONS, "*"),
        LastHttpContent.EMPTY_LAST_CONTENT};
  }

  @Test
  void requestsFramedByTheirLengthAreWrittenByteForByteAsNettysEncoderWritesThem() {
    assertThat(written(channel, requestsFramedByLength())).isEqualTo(writtenByNetty(requestsFramedByLength()))
        .startsWith("GET /a?b=c HTTP/1.1\r\nHost: example.test\r\nX-Two: 1\r\n")
        .contains("Content-Length: 7\r\n\r\nabcdefgGET / HTTP/1.1\r\nHost: h\u00e9?\r\n\r\nOPTIONS * HTTP/1.1");
  }

  @Test
  void aChunkedRequestIsStillFramedInChunks() {
    String ours = written(channel,
        request(HttpMethod.POST, "/", "Transfer-Encoding", "chunked"), piece("abc"), last("de"),
        request(HttpMethod.GET, "/next"), LastHttpContent.EMPTY_LAST_CONTENT);
    assertThat(ours).isEqualTo("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\nGET /next HTTP/1.1\r\n\r\n");
  }

  @Test
  void theMethodOfARequestWrittenHereFramesItsResponse() {
    written(channel, request(HttpMethod.HEAD, "/"), LastHttpContent.EMPTY_LAST_CONTENT);
    List<HttpObject> out = feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
    assertThat(out).hasSize(2);
    assertThat(((LastHttpContent) out.get(1)).content().isReadable()).as("no body after HEAD").isFalse();
  }

  @Test
  void anEmptyLastPieceIsNotWrittenWhenNobodyWaitsForItYetItsPromiseIsKeptWhenSomebodyDoes() {
    channel.write(request(HttpMethod.GET, "/"), channel.voidPromise());
    channel.write(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
    channel.flush();
    assertThat(channel.outboundMessages()).hasSize(1);
    channel.releaseOutbound();
    channel.write(request(HttpMethod.GET, "/"));
    ChannelFuture end = channel.write(LastHttpContent.EMPTY_LAST_CONTENT);
    channel.flush();
    assertThat(end.isSuccess()).isTrue();
  }

  @Test
  void aHeadBeforeTheEndOfTheBodyBeforeItIsRefused() {
    written(channel, request(HttpMethod.POST, "/", "Content-Length", "3"), piece("a"));
    ChannelFuture second = channel.writeAndFlush(request(HttpMethod.GET, "/"));
    assertThat(second.cause()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before the end of the request body");
  }

  /** A request head as the client codec hands it on when it arrives as {@code head}, its fields untouched. */
  private static HttpRequest relayed(String head) {
    byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
    return HeadParser.request(b, b.length).message();
  }

  /** The buffers the codec wrote, each as a string, oldest first. */
  private List<String> writtenBuffers() {
    List<String> buffers = new ArrayList<>();
    ByteBuf b;
    while ((b = channel.readOutbound()) != null) {
      buffers.add(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    return buffers;
  }

  private static final String POST = "POST /api HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\n\r\n";

  @Test
  void aSmallRequestRelayedAsItArrivedLeavesInOneBufferAndEveryWriteOfItCompletes() {
    HttpContent first = piece("abc");
    LastHttpContent rest = last("defg");
    List<ChannelFuture> writes = List.of(channel.write(relayed(POST)), channel.write(first), channel.write(rest));
    assertThat(channel.outboundMessages()).as("nothing before the last piece or a flush").isEmpty();
    channel.flush();

    assertThat(writtenBuffers()).containsExactly(POST + "abcdefg");
    assertThat(writes).allMatch(ChannelFuture::isSuccess);
    assertThat(first.refCnt()).isZero();
    assertThat(rest.refCnt()).isZero();
  }

  @Test
  void aRequestLargerThanWhatIsGatheredLeavesInItsPieces() {
    String body = "b".repeat(GatheredMessage.MAX_BYTES);
    String head = "POST /api HTTP/1.1\r\nHost: a\r\nContent-Length: " + body.length() + "\r\n\r\n";
    channel.write(relayed(head));
    channel.write(last(body));
    channel.flush();

    assertThat(writtenBuffers()).containsExactly(head, body);
  }

  @Test
  void aFlushBeforeTheLastPieceWritesWhatWasGatheredAndTheRestFollows() {
    channel.write(relayed(POST));
    channel.write(piece("abc"));
    channel.flush();
    assertThat(writtenBuffers()).containsExactly(POST + "abc");

    channel.writeAndFlush(last("defg"));
    channel.writeAndFlush(relayed("GET /next HTTP/1.1\r\nHost: a\r\n\r\n"));
    assertThat(writtenBuffers()).containsExactly("defg", "GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
  }

  @Test
  void aRequestGatheredWhenTheConnectionGoesIsReleasedAndItsWriteFails() {
    HttpContent first = piece("abc");
    ChannelFuture headWrite = channel.write(relayed(POST));
    channel.write(first);
    channel.pipeline().removeFirst();

    assertThat(headWrite.cause()).isInstanceOf(ClosedChannelException.class);
    assertThat(first.refCnt()).isZero();
    assertThat(writtenBuffers()).isEmpty();
  }
}
