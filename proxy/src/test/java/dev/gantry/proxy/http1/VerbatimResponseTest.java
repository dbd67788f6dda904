package dev.gantry.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A response head the proxy need not change goes from the backend codec to the client's codec as the bytes it
 * arrived as; one whose headers were read or changed on the way is encoded as any other.
 */
class VerbatimResponseTest {

  private static final String ODD = "HTTP/1.1 200 Fine Thanks\r\nX-Odd:   spaced  \r\nServer:scripted\r\n"
      + "content-length: 5\r\n\r\n";

  private static final HttpDecoderConfig CONFIG = new HttpDecoderConfig().setMaxInitialLineLength(100)
      .setMaxHeaderSize(1000).setStrictLineParsing(true).setUseRfc9112TransferEncoding(true);

  private final EmbeddedChannel backend = new EmbeddedChannel(new BackendCodec(CONFIG, 100, 1000));
  private final EmbeddedChannel client = new EmbeddedChannel(new ServerCodec(CONFIG, 100, 1000));

  @AfterEach
  void close() {
    backend.finishAndReleaseAll();
    client.finishAndReleaseAll();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** What the backend codec makes of {@code response} to a request of {@code method}. */
  private List<Object> fromBackend(HttpMethod method, ByteBuf response) {
    backend.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/"));
    ReferenceCountUtil.release(backend.readOutbound());
    backend.writeInbound(response);
    List<Object> out = new ArrayList<>();
    Object m;
    while ((m = backend.readInbound()) != null) {
      out.add(m);
    }
    return out;
  }

  /** Sends the client codec a request of {@code method}, then writes {@code response}; returns its bytes. */
  private String toClient(HttpMethod method, List<Object> response) {
    client.writeInbound(Unpooled.copiedBuffer(method.name() + " / HTTP/1.1\r\nHost: h\r\n\r\n",
        StandardCharsets.ISO_8859_1));
    Object m;
    while ((m = client.readInbound()) != null) {
      ReferenceCountUtil.release(m);
    }
    for (Object part : response) {
      client.write(part);
    }
    client.flush();
    StringBuilder written = new StringBuilder();
    ByteBuf b;
    while ((b = client.readOutbound()) != null) {
      written.append(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    return written.toString();
  }

  @Test
  void anUntouchedHeadGoesOutAsTheBytesItArrivedAsAndItsBufferIsReleased() {
    ByteBuf arrived = Unpooled.copiedBuffer(ODD + "hello", StandardCharsets.ISO_8859_1);
    List<Object> parts = fromBackend(HttpMethod.GET, arrived);

    assertThat(parts).hasSize(2);
    assertThat(parts.get(0)).isInstanceOf(VerbatimResponse.class);
    assertThat(((VerbatimResponse) parts.get(0)).untouched()).isTrue();
    assertThat(toClient(HttpMethod.GET, parts)).isEqualTo(ODD + "hello");
    assertThat(arrived.refCnt()).as("the head's slice and the body's were handed on and released").isZero();
  }

  @Test
  void aHeadWhoseHeadersWereChangedIsEncodedAsAnyOther() {
    List<Object> parts = fromBackend(HttpMethod.GET, Unpooled.copiedBuffer(ODD + "hello", StandardCharsets.ISO_8859_1));
    HttpResponse head = (HttpResponse) parts.get(0);
    head.headers().add("X-Added", "1");

    assertThat(((VerbatimResponse) head).untouched()).isFalse();
    assertThat(toClient(HttpMethod.GET, parts))
        .isEqualTo("HTTP/1.1 200 Fine Thanks\r\nX-Odd: spaced\r\nServer: scripted\r\ncontent-length: 5\r\n"
            + "X-Added: 1\r\n\r\nhello");
  }

  @Test
  void headersBuiltLateAreThoseTheHeadSpells() {
    HttpResponse head = (HttpResponse) fromBackend(HttpMethod.GET,
        Unpooled.copiedBuffer(ODD + "hello", StandardCharsets.ISO_8859_1)).get(0);

    assertThat(head.status().code()).isEqualTo(200);
    assertThat(head.status().reasonPhrase()).isEqualTo("Fine Thanks");
    assertThat(head.headers().names()).containsExactly("X-Odd", "Server", "content-length");
    assertThat(head.headers().get("x-odd")).isEqualTo("spaced");
    assertThat(head.headers().getInt("Content-Length")).isEqualTo(5);
  }

  @Test
  void aResponseToHeadGoesOutWithoutABody() {
    ByteBuf arrived = Unpooled.copiedBuffer(ODD, StandardCharsets.ISO_8859_1);
    List<Object> parts = fromBackend(HttpMethod.HEAD, arrived);

    assertThat(parts).hasSize(2);
    assertThat(parts.get(1)).isInstanceOf(LastHttpContent.class);
    assertThat(toClient(HttpMethod.HEAD, parts)).isEqualTo(ODD);
    // The next response on the connection is framed for its own request.
    List<Object> next = fromBackend(HttpMethod.GET,
        Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", StandardCharsets.ISO_8859_1));
    assertThat(toClient(HttpMethod.GET, next)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    assertThat(arrived.refCnt()).isZero();
  }

  @Test
  void aConnectionKeepAliveAndAKeepAliveAreLeftOutOfTheBytes() {
    String head = "HTTP/1.1 200 OK\r\nConnection:  Keep-Alive \r\nX-A: 1\r\nkeep-alive: timeout=5\r\n"
        + "Content-Length: 2\r\n\r\n";
    ByteBuf arrived = Unpooled.copiedBuffer(head + "ok", StandardCharsets.ISO_8859_1);
    List<Object> parts = fromBackend(HttpMethod.GET, arrived);

    assertThat(parts.get(0)).isInstanceOf(VerbatimResponse.class);
    assertThat(((HttpResponse) parts.get(0)).status().code()).isEqualTo(200);
    assertThat(toClient(HttpMethod.GET, parts)).isEqualTo("HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 2\r\n\r\nok");
    assertThat(arrived.refCnt()).isZero();
  }

  @Test
  void aHeadLeftOutOfItsLastFieldLineStillEnds() {
    String head = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n";
    List<Object> parts = fromBackend(HttpMethod.GET, Unpooled.copiedBuffer(head + "ok", StandardCharsets.ISO_8859_1));

    assertThat(toClient(HttpMethod.GET, parts)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  }

  @Test
  void headersBuiltLateAreWithoutTheLinesLeftOut() {
    String head = "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nX-A: 1\r\nKeep-Alive: timeout=5\r\n"
        + "Content-Length: 2\r\n\r\n";
    HttpResponse res = (HttpResponse) fromBackend(HttpMethod.GET,
        Unpooled.copiedBuffer(head + "ok", StandardCharsets.ISO_8859_1)).get(0);

    assertThat(res).isInstanceOf(VerbatimResponse.class);
    assertThat(res.headers().names()).containsExactly("X-A", "Content-Length");
  }

  @Test
  void theHeadersOfAHeadAlreadyRelayedCannotBeBuilt() {
    List<Object> parts = fromBackend(HttpMethod.GET, Unpooled.copiedBuffer(ODD + "hello", StandardCharsets.ISO_8859_1));
    toClient(HttpMethod.GET, parts);

    assertThatThrownBy(() -> ((HttpResponse) parts.get(0)).headers())
        .isInstanceOf(IllegalReferenceCountException.class);
  }

  @Test
  void aHeadReleasedUnwrittenReleasesItsBytes() {
    ByteBuf arrived = Unpooled.copiedBuffer(ODD + "hello", StandardCharsets.ISO_8859_1);
    List<Object> parts = fromBackend(HttpMethod.GET, arrived);
    parts.forEach(ReferenceCountUtil::release);

    assertThat(((VerbatimResponse) parts.get(0)).refCnt()).isZero();
    assertThat(arrived.refCnt()).isZero();
  }

  /** The buffers the client codec wrote, each as a string, oldest first. */
  private List<String> writtenBuffers() {
    List<String> buffers = new ArrayList<>();
    ByteBuf b;
    while ((b = client.readOutbound()) != null) {
      buffers.add(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    return buffers;
  }

  /** Sends the client codec a GET, so that a response can be written. */
  private void clientAsks() {
    client.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: h\r\n\r\n", StandardCharsets.ISO_8859_1));
    ReferenceCountUtil.release(client.readInbound());
    ReferenceCountUtil.release(client.readInbound());
  }

  @Test
  void aSmallResponseLeavesInOneBufferAndEveryWriteOfItCompletes() {
    String head = "HTTP/1.1 200 OK\r\nServer: nginx\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\n";
    ByteBuf arrived = Unpooled.copiedBuffer(head + "hello", StandardCharsets.ISO_8859_1);
    List<Object> parts = fromBackend(HttpMethod.GET, arrived);
    clientAsks();

    List<ChannelFuture> writes = parts.stream().map(client::write).toList();
    client.flush();

    assertThat(writtenBuffers()).containsExactly("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 5\r\n\r\nhello");
    assertThat(writes).allMatch(ChannelFuture::isSuccess);
    assertThat(arrived.refCnt()).isZero();
  }

  @Test
  void aResponseLargerThanWhatIsGatheredLeavesInItsPieces() {
    String head = "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 5000\r\n\r\n";
    String body = "b".repeat(5000);
    List<Object> parts = fromBackend(HttpMethod.GET, Unpooled.copiedBuffer(head + body, StandardCharsets.ISO_8859_1));
    clientAsks();

    parts.forEach(client::write);
    client.flush();

    List<String> buffers = writtenBuffers();
    assertThat(buffers).hasSizeGreaterThan(1);
    assertThat(String.join("", buffers)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + body);
  }

  @Test
  void aFlushBeforeTheLastPieceWritesWhatWasGatheredAndTheRestFollows() {
    backend.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
    ReferenceCountUtil.release(backend.readOutbound());
    clientAsks();

    backend.writeInbound(Unpooled.copiedBuffer(ODD + "he", StandardCharsets.ISO_8859_1));
    Object part;
    while ((part = backend.readInbound()) != null) {
      client.write(part);
    }
    client.flush();
    assertThat(writtenBuffers()).containsExactly(ODD + "he");

    backend.writeInbound(Unpooled.copiedBuffer("llo", StandardCharsets.ISO_8859_1));
    part = backend.readInbound();
    assertThat(part).isInstanceOf(LastHttpContent.class);
    client.writeAndFlush(part);
    assertThat(writtenBuffers()).containsExactly("llo");
  }

  @Test
  void aResponseGatheredWhenTheConnectionGoesIsReleasedAndItsWriteFails() {
    ByteBuf arrived = Unpooled.copiedBuffer(ODD + "hello", StandardCharsets.ISO_8859_1);
    List<Object> parts = fromBackend(HttpMethod.GET, arrived);
    clientAsks();

    ChannelFuture headWrite = client.write(parts.get(0));
    ReferenceCountUtil.release(parts.get(1));
    client.pipeline().removeFirst();

    assertThat(headWrite.cause()).isInstanceOf(ClosedChannelException.class);
    assertThat(arrived.refCnt()).isZero();
    assertThat(writtenBuffers()).isEmpty();
  }

  @Test
  void aRelayableHeadCarriesItsBodyLength() {
    HeadParser.Parsed<HttpResponse> parsed = HeadParser.response(bytes(ODD), ODD.length());

    assertThat(parsed.message()).isInstanceOf(VerbatimResponse.class);
    assertThat(parsed.contentLength()).isEqualTo(5);
    assertThat(parsed.lengthFields()).isEqualTo(1);
    assertThat(parsed.fieldBytes())
        .isEqualTo("X-Odd:   spaced  ".length() + "Server:scripted".length() + "content-length: 5".length());
    assertThat(parsed.firstLineBytes()).isEqualTo("HTTP/1.1 200 Fine Thanks".length());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n",
      "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 103 Early Hints\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456789\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive, x-private\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\nKeep-Alive: a\r\nKeep-Alive: b\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nProxy-Connection: close\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTE: trailers\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTrailer: X\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nUPGRADE: h2c\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nProxy-Authenticate: Basic\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nProxy-Authorization: Basic x\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"})
  void aHeadTheProxyWouldChangeOrFrameOtherwiseIsParsedAsUsual(String head) {
    HeadParser.Parsed<HttpResponse> parsed = HeadParser.response(bytes(head), head.length());

    assertThat(parsed.message()).isNotInstanceOf(VerbatimResponse.class);
    assertThat(parsed.contentLength()).isEqualTo(-1);
  }
}
