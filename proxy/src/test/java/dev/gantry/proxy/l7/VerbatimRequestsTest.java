package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Protocol;
import dev.gantry.proxy.config.ListenerRuntime;
import dev.gantry.proxy.http1.BackendCodec;
import dev.gantry.proxy.http1.VerbatimRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map.Entry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request relayed with its field lines as they arrived reaches the backend as the same request the proxy
 * writes from headers: the client's codec decodes it, {@link RequestHeads} prepares it, the backend codec writes
 * it, once as it arrived and once after its headers were asked for (which builds them).
 */
class VerbatimRequestsTest {

  private static final ListenerRuntime LISTENER =
      new ListenerRuntime("t", "l", 8080, Protocol.HTTP, Router.EMPTY, null, null, -1, null);

  private final List<EmbeddedChannel> channels = new ArrayList<>();

  @AfterEach
  void close() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  /** The request decoded from {@code head}; its headers built at once when {@code touch}. */
  private HttpRequest decoded(String head, boolean touch) {
    EmbeddedChannel client = new EmbeddedChannel(HttpPipeline.serverCodec());
    channels.add(client);
    client.writeInbound(Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1));
    HttpRequest req = client.readInbound();
    Object rest;
    while ((rest = client.readInbound()) != null) {
      ReferenceCountUtil.release(rest);
    }
    if (touch) {
      req.headers();
    }
    return req;
  }

  /** What the backend gets for {@code req}, prepared as the proxy prepares a request without a route. */
  private String sent(HttpRequest req, ForwardingHeaders.Cache cache) {
    RequestHeads.Asked asked = RequestHeads.prepare(req, null, null, req.uri(), LISTENER, "192.0.2.7",
        req instanceof VerbatimRequest v && VerbatimRequest.untouched(v) != null ? v.host() : req.headers().get("host"),
        cache, ClientIdentity.ANONYMOUS);
    assertThat(asked.upgrade()).isFalse();
    assertThat(asked.expectContinue()).isFalse();
    EmbeddedChannel backend = new EmbeddedChannel(new BackendCodec(new HttpDecoderConfig(), 8192, 32768));
    channels.add(backend);
    backend.writeOutbound(req);
    StringBuilder out = new StringBuilder();
    ByteBuf b;
    while ((b = backend.readOutbound()) != null) {
      out.append(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    return out.toString();
  }

  /** The request line and the fields of a written head, as Netty's own decoder reads them. */
  private static List<String> readBack(String written) {
    EmbeddedChannel reader = new EmbeddedChannel(new HttpRequestDecoder());
    reader.writeInbound(Unpooled.copiedBuffer(written, StandardCharsets.ISO_8859_1));
    HttpRequest req = reader.readInbound();
    assertThat(((HttpObject) req).decoderResult().isSuccess()).isTrue();
    List<String> out = new ArrayList<>();
    out.add(req.method() + " " + req.uri() + " " + req.protocolVersion());
    for (Entry<String, String> e : req.headers()) {
      out.add(e.getKey() + ": " + e.getValue());
    }
    reader.finishAndReleaseAll();
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "GET /small HTTP/1.1\r\nHost: 127.0.0.1:18130\r\n\r\n",
      "GET /app/items?id=7 HTTP/1.1\r\nHost: shop.example.com\r\nUser-Agent: Mozilla/5.0 (X11)\r\n"
          + "Accept: text/html,*/*;q=0.8\r\nConnection: keep-alive\r\nCookie: s=5f; theme=dark\r\n"
          + "Keep-Alive: timeout=5\r\nUpgrade-Insecure-Requests: 1\r\n\r\n",
      "POST /form HTTP/1.1\r\nHost: a.example:8443\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
      "DELETE /x HTTP/1.1\r\nHost: [2001:db8::1]:80\r\nAuthorization: Bearer t\r\n\r\n"})
  void theBytesAreThoseWrittenFromHeaders(String head) {
    HttpRequest relayed = decoded(head, false);
    HttpRequest built = decoded(head, true);
    assertThat(VerbatimRequest.untouched(relayed)).isNotNull();
    assertThat(VerbatimRequest.untouched(built)).isNull();

    String fromBytes = sent(relayed, new ForwardingHeaders.Cache());
    String fromHeaders = sent(built, new ForwardingHeaders.Cache());

    assertThat(fromBytes).isEqualTo(fromHeaders).contains("\r\nx-forwarded-for: 192.0.2.7\r\n")
        .doesNotContainIgnoringCase("keep-alive");
  }

  @Test
  void oddlySpacedFieldsKeepTheirSpacingAndMeanTheSame() {
    String head = "GET / HTTP/1.1\r\nHost:a.example\r\nX-Odd:   spaced  \r\n\r\n";

    String fromBytes = sent(decoded(head, false), new ForwardingHeaders.Cache());
    String fromHeaders = sent(decoded(head, true), new ForwardingHeaders.Cache());

    assertThat(fromBytes).contains("\r\nHost:a.example\r\nX-Odd:   spaced  \r\n");
    assertThat(readBack(fromBytes)).isEqualTo(readBack(fromHeaders)).contains("x-forwarded-host: a.example",
        "forwarded: for=192.0.2.7;host=a.example;proto=http", "x-forwarded-port: 8080");
  }

  @Test
  void headersAskedForAfterThePreparationHoldTheForwardingFields() {
    HttpRequest req = decoded("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n", false);
    ForwardingHeaders.Cache cache = new ForwardingHeaders.Cache();
    RequestHeads.prepare(req, null, null, "/", LISTENER, "192.0.2.7", "h", cache, ClientIdentity.ANONYMOUS);

    assertThat(req.headers().get("x-forwarded-for")).isEqualTo("192.0.2.7");
    assertThat(req.headers().get("x-forwarded-proto")).isEqualTo("http");
    assertThat(req.headers().contains("connection")).isFalse();
    assertThat(VerbatimRequest.untouched(req)).isNull();
  }

  @Test
  void aConnectionsLaterRequestsGetTheForwardingFieldsOfTheirOwnHost() {
    ForwardingHeaders.Cache cache = new ForwardingHeaders.Cache();
    String first = sent(decoded("GET / HTTP/1.1\r\nHost: one\r\n\r\n", false), cache);
    String again = sent(decoded("GET / HTTP/1.1\r\nHost: one\r\n\r\n", false), cache);
    String other = sent(decoded("GET / HTTP/1.1\r\nHost: two\r\n\r\n", false), cache);

    assertThat(again).isEqualTo(first).contains("x-forwarded-host: one\r\n");
    assertThat(other).contains("x-forwarded-host: two\r\n", "forwarded: for=192.0.2.7;host=two;proto=http\r\n");
  }

  @Test
  void aHeadTheProxyMustChangeIsWrittenFromHeaders() {
    HttpRequest req = decoded("GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 10.0.0.1\r\nConnection: close\r\n\r\n",
        false);
    assertThat(VerbatimRequest.untouched(req)).isNull();

    assertThat(sent(req, new ForwardingHeaders.Cache())).contains("x-forwarded-for: 10.0.0.1, 192.0.2.7\r\n")
        .doesNotContainIgnoringCase("connection");
  }
}
