package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.http1.VerbatimRequest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class H2cUpgradeTest {

  static HttpRequest upgrade() {
    HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    req.headers().add("Host", "a.example").add("Connection", "Upgrade, HTTP2-Settings").add("Upgrade", "h2c")
        .add("HTTP2-Settings", "AAMAAABkAAQAAP__");
    return req;
  }

  /** A connection's HTTP/1.1 codec and the upgrade handler behind it, the one request {@code head} read in. */
  private static EmbeddedChannel firstRequest(String head) {
    EmbeddedChannel ch = new EmbeddedChannel(HttpPipeline.serverCodec(),
        new H2cUpgrade(at -> { throw new AssertionError("no upgrade expected"); }, List.of()));
    ch.writeInbound(Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1));
    return ch;
  }

  @Test
  void aFirstRequestThatCanGoAsItArrivedPassesUntouchedAndTheHandlerLeaves() {
    EmbeddedChannel ch = firstRequest("GET /a HTTP/1.1\r\nHost: a.example\r\nAccept: */*\r\n\r\n"
        + "GET /b HTTP/1.1\r\nHost: a.example\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
        + "HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");
    HttpRequest first = ch.readInbound();
    assertThat(VerbatimRequest.untouched(first)).isNotNull();
    assertThat(first.uri()).isEqualTo("/a");
    assertThat((Object) ch.readInbound()).isInstanceOf(LastHttpContent.class);
    assertThat(ch.pipeline().get(H2cUpgrade.class)).isNull();
    HttpRequest second = ch.readInbound();
    assertThat(second.uri()).isEqualTo("/b");
    assertThat(second.headers().get("Upgrade")).isEqualTo("h2c");
    releaseAll(ch);
  }

  @Test
  void aFirstRequestWithAnotherUpgradeGoesOnAsHttp1AndTheHandlerLeaves() {
    EmbeddedChannel ch = firstRequest(
        "GET /ws HTTP/1.1\r\nHost: a.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
    HttpRequest req = ch.readInbound();
    assertThat(req.uri()).isEqualTo("/ws");
    assertThat(req.headers().get("Upgrade")).isEqualTo("websocket");
    assertThat(ch.pipeline().get(H2cUpgrade.class)).isNull();
    releaseAll(ch);
  }

  private static void releaseAll(EmbeddedChannel ch) {
    Object m;
    while ((m = ch.readInbound()) != null) {
      assertThat(m).isInstanceOf(HttpContent.class);
      ReferenceCountUtil.release(m);
    }
    ch.finishAndReleaseAll();
  }

  @Test
  void aWellFormedUpgradeIsHonoured() {
    assertThat(H2cUpgrade.isWellFormedUpgrade(upgrade())).isTrue();
  }

  @Test
  void tokensAreCaseInsensitiveAndMayComeInSeveralFields() {
    HttpRequest req = upgrade();
    req.headers().set("Connection", "keep-alive, upgrade").add("Connection", "http2-settings").set("Upgrade", "H2C");
    assertThat(H2cUpgrade.isWellFormedUpgrade(req)).isTrue();
  }

  @Test
  void anEmptyBodyIsNoBody() {
    HttpRequest req = upgrade();
    req.headers().set("Content-Length", "0");
    assertThat(H2cUpgrade.isWellFormedUpgrade(req)).isTrue();
  }

  @Test
  void otherUpgradesAreLeftToHttp1() {
    HttpRequest req = upgrade();
    req.headers().set("Upgrade", "websocket");
    assertThat(H2cUpgrade.isWellFormedUpgrade(req)).isFalse();
  }

  @Test
  void connectionMustNameUpgradeAndTheSettings() {
    HttpRequest noSettingsToken = upgrade();
    noSettingsToken.headers().set("Connection", "Upgrade");
    HttpRequest noUpgradeToken = upgrade();
    noUpgradeToken.headers().set("Connection", "HTTP2-Settings");
    assertThat(H2cUpgrade.isWellFormedUpgrade(noSettingsToken)).isFalse();
    assertThat(H2cUpgrade.isWellFormedUpgrade(noUpgradeToken)).isFalse();
  }

  @Test
  void exactlyOneValidSettingsField() {
    HttpRequest none = upgrade();
    none.headers().remove("HTTP2-Settings");
    HttpRequest two = upgrade();
    two.headers().add("HTTP2-Settings", "AAMAAABkAAQAAP__");
    HttpRequest invalid = upgrade();
    invalid.headers().set("HTTP2-Settings", "AAMAAABkAAQAAP//");
    assertThat(H2cUpgrade.isWellFormedUpgrade(none)).isFalse();
    assertThat(H2cUpgrade.isWellFormedUpgrade(two)).isFalse();
    assertThat(H2cUpgrade.isWellFormedUpgrade(invalid)).isFalse();
  }

  @Test
  void aRequestWithABodyOrAnExpectationIsAnsweredOverHttp1() {
    HttpRequest length = upgrade();
    length.headers().set("Content-Length", "5");
    HttpRequest chunked = upgrade();
    chunked.headers().set("Transfer-Encoding", "chunked");
    HttpRequest expect = upgrade();
    expect.headers().set("Expect", "100-continue");
    assertThat(H2cUpgrade.isWellFormedUpgrade(length)).isFalse();
    assertThat(H2cUpgrade.isWellFormedUpgrade(chunked)).isFalse();
    assertThat(H2cUpgrade.isWellFormedUpgrade(expect)).isFalse();
  }

  @Test
  void whatHttp1RefusesIsNeverUpgraded() {
    HttpRequest noHost = upgrade();
    noHost.headers().remove("Host");
    HttpRequest twoHosts = upgrade();
    twoHosts.headers().add("Host", "b.example");
    HttpRequest http10 = new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/", upgrade().headers());
    HttpRequest absoluteForm = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "http://a.example/",
        upgrade().headers());
    HttpRequest trace = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.TRACE, "/", upgrade().headers());
    assertThat(H2cUpgrade.isWellFormedUpgrade(noHost)).isFalse();
    assertThat(H2cUpgrade.isWellFormedUpgrade(twoHosts)).isFalse();
    assertThat(H2cUpgrade.isWellFormedUpgrade(http10)).isFalse();
    assertThat(H2cUpgrade.isWellFormedUpgrade(absoluteForm)).isFalse();
    assertThat(H2cUpgrade.isWellFormedUpgrade(trace)).isFalse();
  }
}
