package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class RequestTargetsTest {

  private static HttpRequest get(String uri) {
    HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    req.headers().set("Host", "elsewhere.example.com");
    return req;
  }

  @Test
  void anAbsoluteTargetBecomesOriginFormAndGivesTheHost() {
    HttpRequest req = get("http://Shop.Example.com:8080?page=2");
    assertThat(RequestTargets.toOriginForm(req)).isTrue();
    assertThat(req.uri()).isEqualTo("/?page=2");
    assertThat(req.headers().get("Host")).isEqualTo("Shop.Example.com:8080");
  }

  @Test
  void anAuthorityWithAControlCharacterIsNotServed() {
    // found by HttpRequestHeadFuzzTest: setting it as Host threw, and the client got no answer
    for (String uri : new String[] {"http://sh\u0004\u0000op.example.com/",
        "http://shop.\u00caexample.com/x"}) {
      HttpRequest req = get(uri);
      assertThat(RequestTargets.toOriginForm(req)).as(uri).isFalse();
      assertThat(req.headers().get("Host")).isEqualTo("elsewhere.example.com");
    }
  }
}
