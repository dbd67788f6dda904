package dev.gantry.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request head the proxy needs to add to only is kept as its field lines, which the backend codec writes as
 * they are; its headers, when asked for, are built from the same lines.
 */
class VerbatimRequestTest {

  private static final String BROWSER = "GET /app/items?id=7 HTTP/1.1\r\n"
      + "Host: shop.example.com\r\n"
      + "User-Agent: Mozilla/5.0\r\n"
      + "Connection: keep-alive\r\n"
      + "Accept: text/html\r\n"
      + "Keep-Alive: timeout=5\r\n"
      + "Cookie: a=b\r\n"
      + "\r\n";

  private static HeadParser.Parsed<HttpRequest> parse(String head) {
    byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
    return HeadParser.request(b, b.length);
  }

  private static List<String> fields(HttpHeaders headers) {
    List<String> out = new ArrayList<>();
    for (Entry<String, String> e : headers) {
      out.add(e.getKey() + "=" + e.getValue());
    }
    return out;
  }

  private static String written(VerbatimRequest req) {
    ByteBuf buf = Unpooled.buffer();
    try {
      req.writeFields(buf);
      return buf.toString(StandardCharsets.ISO_8859_1);
    } finally {
      buf.release();
    }
  }

  @Test
  void aBrowsersHeadIsKeptAsItsLinesWithoutTheKeepAliveOnes() {
    HeadParser.Parsed<HttpRequest> parsed = parse(BROWSER);

    VerbatimRequest req = VerbatimRequest.untouched(parsed.message());
    assertThat(req).isNotNull();
    assertThat(req.method()).isSameAs(HttpMethod.GET);
    assertThat(req.uri()).isEqualTo("/app/items?id=7");
    assertThat(req.host()).isEqualTo("shop.example.com");
    assertThat(req.contentLength()).isZero();
    assertThat(written(req)).isEqualTo("Host: shop.example.com\r\nUser-Agent: Mozilla/5.0\r\nAccept: text/html\r\n"
        + "Cookie: a=b\r\n");
    // The same limits as for a head made into headers: line ends not counted.
    assertThat(parsed.fieldBytes()).isEqualTo(BROWSER.length() - BROWSER.indexOf("\r\n") - 2 - 2 - 2 * 6);
    assertThat(parsed.firstLineBytes()).isEqualTo("GET /app/items?id=7 HTTP/1.1".length());
  }

  @Test
  void itsHeadersAreBuiltFromTheSameLinesWithTheAddedOnesAndItIsThenNoLongerUntouched() {
    VerbatimRequest req = VerbatimRequest.untouched(parse(BROWSER).message());
    req.append("x-forwarded-for: 192.0.2.7\r\n".getBytes(StandardCharsets.ISO_8859_1));
    req.append("forwarded: for=192.0.2.7\r\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(written(req)).endsWith("Cookie: a=b\r\nx-forwarded-for: 192.0.2.7\r\nforwarded: for=192.0.2.7\r\n");

    assertThat(fields(req.headers())).containsExactly("Host=shop.example.com", "User-Agent=Mozilla/5.0",
        "Accept=text/html", "Cookie=a=b", "x-forwarded-for=192.0.2.7", "forwarded=for=192.0.2.7");
    assertThat(VerbatimRequest.untouched(req)).isNull();
    assertThatThrownBy(() -> req.append(new byte[0])).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aBodyFramedByItsLengthIsRead() {
    HeadParser.Parsed<HttpRequest> parsed = parse("POST /f HTTP/1.1\r\nhost: a\r\ncontent-length:  12 \r\n\r\n");

    assertThat(parsed.contentLength()).isEqualTo(12);
    assertThat(parsed.lengthFields()).isEqualTo(1);
    assertThat(VerbatimRequest.untouched(parsed.message()).contentLength()).isEqualTo(12);
    assertThat(parsed.message().headers().get("Content-Length")).isEqualTo("12");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "GET / HTTP/1.0\r\nHost: a\r\n\r\n",
      "GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n",
      "GET / HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, X-Secret\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nConnection: keep-alive\r\nKeep-Alive: 1\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Type: Application/GRPC+proto\r\n\r\n",
      "PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nTE: trailers\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nTrailer: x\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nProxy-Connection: keep-alive\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nProxy-Authorization: Basic eA==\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nProxy-Authenticate: Basic\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10.0.0.1\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nx-forwarded-proto: https\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nX-FORWARDED-HOST: b\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-Port: 1\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nForwarded: for=10.0.0.1\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-Client-Cert: Hash=00\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n"})
  void aHeadWithAFieldTheProxyActsOnIsMadeIntoHeaders(String head) {
    HttpRequest req = parse(head).message();

    assertThat(req).isNotInstanceOf(VerbatimRequest.class);
    assertThat(VerbatimRequest.untouched(req)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "GET / HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nContent-Type: app\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded: 1\r\nX-Forwarded-Forever: 1\r\nTEA: 1\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nconnection: KEEP-ALIVE\r\n\r\n",
      "OPTIONS /x HTTP/1.1\r\nHost: [::1]:80\r\n\r\n"})
  void aHeadWithNoneOfThemIsKeptAsItsLines(String head) {
    VerbatimRequest req = VerbatimRequest.untouched(parse(head).message());

    assertThat(req).isNotNull();
    assertThat(written(req)).doesNotContainIgnoringCase("connection");
  }
}
