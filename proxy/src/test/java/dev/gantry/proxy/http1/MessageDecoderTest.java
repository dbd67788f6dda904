package dev.gantry.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proxy's decoder against Netty's on the same bytes in the same pieces: for heads the gate lets through,
 * both must hand on the same messages, the same headers in the same order, the same body pieces, the same ends
 * and the same failures, also when the connection closes. Netty's decoders here are set as the codecs set the
 * ones they fall back on. The codecs' gates are given a first line longer than the decoders' limit, so that the
 * decoders' own limits are what the long lines meet.
 */
class MessageDecoderTest {

  private static final HttpDecoderConfig CONFIG = new HttpDecoderConfig().setMaxInitialLineLength(100)
      .setMaxHeaderSize(300).setMaxChunkSize(16).setStrictLineParsing(true).setUseRfc9112TransferEncoding(true);
  private static final String H = "Host: h\r\n";

  static Stream<Arguments> requests() {
    return Stream.of(
        Arguments.of("no body", "GET /a?b=c HTTP/1.1\r\n" + H + "Accept: */*\r\nX-Custom: v\r\n\r\n"),
        Arguments.of("HTTP/1.0", "GET / HTTP/1.0\r\n" + H + "\r\n"),
        Arguments.of("values keep inner spaces and lose the outer ones",
            "GET / HTTP/1.1\r\n" + H + "X-A:   one  two \t\r\nX-B:\r\nX-C: \r\n\r\n"),
        Arguments.of("obs-text in a value", "GET / HTTP/1.1\r\n" + H + "X-A: caf\u00e9\r\n\r\n"),
        Arguments.of("names keep their case", "GET / HTTP/1.1\r\nHOST: h\r\ncontent-length: 0\r\nx-y: 1\r\n\r\n"),
        Arguments.of("repeated fields keep their order", "GET / HTTP/1.1\r\n" + H + "A: 1\r\nB: 2\r\nA: 3\r\n\r\n"),
        Arguments.of("a body in several pieces", "POST / HTTP/1.1\r\n" + H + "Content-Length: 40\r\n\r\n"
            + "0123456789012345678901234567890123456789"),
        Arguments.of("pipelined", "POST /1 HTTP/1.1\r\n" + H + "Content-Length: 3\r\n\r\nabcGET /2 HTTP/1.1\r\n"
            + H + "\r\n"),
        Arguments.of("equal Content-Length values count as one", "POST / HTTP/1.1\r\n" + H
            + "Content-Length: 2, 2\r\nContent-Length: 2\r\n\r\nab"),
        Arguments.of("a Content-Length with leading zeros", "POST / HTTP/1.1\r\n" + H
            + "Content-Length: 003\r\n\r\nabc"),
        Arguments.of("a method of no standard", "PURGE /x HTTP/1.1\r\n" + H + "\r\n"),
        Arguments.of("a lower-case content-length", "POST / HTTP/1.1\r\n" + H + "content-length: 3\r\n\r\nabc"),
        Arguments.of("a Content-Length past a long", "POST / HTTP/1.1\r\n" + H
            + "Content-Length: 99999999999999999999\r\n\r\n"),
        Arguments.of("differing Content-Length values", "POST / HTTP/1.1\r\n" + H
            + "Content-Length: 2\r\nContent-Length: 3\r\n\r\nabc"),
        Arguments.of("a negative Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: -1\r\n\r\n"),
        Arguments.of("chunked, then a Content-Length request", "POST / HTTP/1.1\r\n" + H
            + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\nPOST / HTTP/1.1\r\n" + H
            + "Content-Length: 2\r\n\r\nde"),
        Arguments.of("chunked with Content-Length", "POST / HTTP/1.1\r\n" + H
            + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
        Arguments.of("Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\n" + H
            + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        Arguments.of("a first line over the limit", "GET /" + "a".repeat(120) + " HTTP/1.1\r\n" + H + "\r\n"),
        Arguments.of("field lines over the limit", "GET / HTTP/1.1\r\n" + H + "X-A: " + "b".repeat(320)
            + "\r\n\r\n"),
        Arguments.of("a body cut short", "POST / HTTP/1.1\r\n" + H + "Content-Length: 10\r\n\r\nabc"));
  }

  static Stream<Arguments> responses() {
    return Stream.of(
        Arguments.of("with a length", "HTTP/1.1 200 OK\r\nServer: s\r\nContent-Length: 5\r\n\r\nhello"),
        Arguments.of("no reason phrase", "HTTP/1.1 204\r\nDate: d\r\n\r\n"),
        Arguments.of("an unusual reason phrase", "HTTP/1.1 200 Fine Thanks \r\nContent-Length: 0\r\n\r\n"),
        Arguments.of("no reason phrase", "HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n"),
        Arguments.of("an empty reason phrase", "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n"),
        Arguments.of("a reason phrase of another case", "HTTP/1.1 200 ok\r\nContent-Length: 0\r\n\r\n"),
        Arguments.of("a status Netty does not name", "HTTP/1.1 299 Odd\r\nContent-Length: 0\r\n\r\n"),
        Arguments.of("until the connection closes", "HTTP/1.0 200 OK\r\nServer: s\r\n\r\n"
            + "a body that runs until the end"),
        Arguments.of("204 and 304 have no body", "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n"),
        Arguments.of("1xx before the response", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"
            + "Content-Length: 1\r\n\r\nx"),
        Arguments.of("101 and then another protocol's bytes", "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
            + "\u0081\u0002hi"),
        Arguments.of("chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
        Arguments.of("a chunk line Netty refuses", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;a=\"b\r\nhello\r\n0\r\n\r\n"),
        Arguments.of("an invalid Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void requestsComeOutAsNettyDecodesThem(String name, String wire) {
    for (int piece : new int[] {wire.length(), 7, 1}) {
      assertThat(decode(new ServerCodec(CONFIG, 1000, 1000), wire, piece, false))
          .as("in pieces of %d bytes", piece)
          .isEqualTo(decode(new HttpRequestDecoder(HeadGate.behindGate(CONFIG)), wire, piece, false));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("responses")
  void responsesComeOutAsNettyDecodesThem(String name, String wire) {
    for (int piece : new int[] {wire.length(), 7, 1}) {
      assertThat(decode(new BackendCodec(CONFIG, 1000, 1000), wire, piece, true))
          .as("in pieces of %d bytes", piece)
          .isEqualTo(decode(new HttpResponseDecoder(HeadGate.behindGate(CONFIG)), wire, piece, false));
    }
  }

  /**
   * Where the two differ on purpose: Netty's decoder reads 16 bytes of body after a 101 that looks like the
   * Hixie-76 WebSocket draft's (no Sec-WebSocket-Accept); the proxy's passes every byte after any 101 on as it is.
   */
  @Test
  void everyByteAfterA101IsPassedOnAsItIs() {
    String wire = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
        + "0123456789abcdef and more";
    assertThat(decode(new BackendCodec(CONFIG, 1000, 1000), wire, wire.length(), true)).containsExactly(
        "response HTTP/1.1 101 'Switching Protocols' | Upgrade: websocket | Connection: Upgrade", "last []",
        "raw [0123456789abcdef and more]", "end");
  }

  /** What a decoder hands on for the bytes fed in pieces, then for the connection's end, as text. */
  private static List<String> decode(ChannelHandler decoder, String wire, int piece, boolean sendRequests) {
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    if (sendRequests) {
      for (int i = 0; i < 2; i++) {
        // Asking for an upgrade: the codec refuses a 101 to a request that did not.
        DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        req.headers().set("Upgrade", "websocket").set("Connection", "Upgrade");
        channel.writeOutbound(req);
      }
      Object m;
      while ((m = channel.readOutbound()) != null) {
        ReferenceCountUtil.release(m);
      }
    }
    byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
    List<String> seen = new ArrayList<>();
    for (int at = 0; at < bytes.length; at += piece) {
      channel.writeInbound(Unpooled.wrappedBuffer(bytes, at, Math.min(piece, bytes.length - at)));
      drain(channel, seen);
    }
    seen.add("end");
    channel.finish();
    drain(channel, seen);
    channel.finishAndReleaseAll();
    return merged(seen);
  }

  private static void drain(EmbeddedChannel channel, List<String> seen) {
    Object m;
    while ((m = channel.readInbound()) != null) {
      seen.add(describe(m));
      ReferenceCountUtil.release(m);
    }
  }

  private static String describe(Object m) {
    StringBuilder s = new StringBuilder();
    if (m instanceof HttpObject o && o.decoderResult().isFailure()) {
      return "failed: " + o.decoderResult().cause().getClass().getSimpleName();
    }
    if (m instanceof HttpRequest req) {
      s.append("request ").append(req.method()).append(' ').append(req.uri()).append(' ')
          .append(req.protocolVersion());
    }
    if (m instanceof HttpResponse res) {
      s.append("response ").append(res.protocolVersion()).append(' ').append(res.status().code()).append(" '")
          .append(res.status().reasonPhrase()).append('\'');
    }
    if (m instanceof HttpMessage msg) {
      for (Map.Entry<String, String> field : msg.headers()) {
        s.append(" | ").append(field.getKey()).append(": ").append(field.getValue());
      }
    }
    if (m instanceof HttpContent c) {
      s.append(m instanceof LastHttpContent ? "last" : "content").append(" [")
          .append(c.content().toString(StandardCharsets.ISO_8859_1)).append(']');
      if (m instanceof LastHttpContent last) {
        last.trailingHeaders().forEach(t -> s.append(" | ").append(t.getKey()).append(": ").append(t.getValue()));
      }
    }
    if (m instanceof ByteBuf raw) {
      s.append("raw [").append(raw.toString(StandardCharsets.ISO_8859_1)).append(']');
    }
    return s.toString();
  }

  /**
   * Consecutive body pieces joined: where a piece ends depends on how much the decoder holds back (the proxy's
   * holds a head back until it is whole), not on what the body is.
   */
  private static List<String> merged(List<String> seen) {
    List<String> out = new ArrayList<>();
    for (String s : seen) {
      int last = out.size() - 1;
      if (last >= 0 && out.get(last).startsWith("content [") && (s.startsWith("content [") || s.startsWith("last ["))) {
        String before = out.remove(last);
        String prefix = s.startsWith("last") ? "last [" : "content [";
        out.add(prefix + before.substring(9, before.indexOf(']')) + s.substring(s.indexOf('[') + 1));
      } else if (last >= 0 && out.get(last).startsWith("raw [") && s.startsWith("raw [")) {
        String before = out.remove(last);
        out.add("raw [" + before.substring(5, before.lastIndexOf(']')) + s.substring(5));
      } else {
        out.add(s);
      }
    }
    return out;
  }
}
