package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class H2cUpgradeTest {

  static HttpRequest upgrade() {
    HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    req.headers().add("Host", "a.example").add("Connection", "Upgrade, HTTP2-Settings").add("Upgrade", "h2c")
        .add("HTTP2-Settings", "AAMAAABkAAQAAP__");
    return req;
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
