package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.Test;

class Http2RequestCheckTest {

  static Http2Headers request(String method, String path, String authority) {
    Http2Headers h = new DefaultHttp2Headers(false).method(method).scheme("https");
    if (path != null) {
      h.path(path);
    }
    if (authority != null) {
      h.authority(authority);
    }
    return h;
  }

  @Test
  void anOrdinaryRequestPasses() {
    assertThat(Http2RequestCheck.problem(request("GET", "/a/b?c=d&e=%20", "shop.example.com:8443"))).isNull();
    assertThat(Http2RequestCheck.problem(request("OPTIONS", "*", "shop.example.com"))).isNull();
    assertThat(Http2RequestCheck.problem(request("GET", "/", "shop.example.com").add("host", "SHOP.example.com")))
        .isNull();
  }

  @Test
  void aPathMustBeOriginFormOfVisibleAscii() {
    assertThat(Http2RequestCheck.problem(request("GET", "a/b", "x"))).contains(":path");
    assertThat(Http2RequestCheck.problem(request("GET", "http://elsewhere/", "x"))).contains(":path");
    assertThat(Http2RequestCheck.problem(request("GET", "", "x"))).contains(":path");
    assertThat(Http2RequestCheck.problem(request("GET", "*", "x"))).contains(":path");
    assertThat(Http2RequestCheck.problem(request("GET", "/a b", "x"))).contains(":path");
    assertThat(Http2RequestCheck.problem(request("GET", "/a\tb", "x"))).contains(":path");
    assertThat(Http2RequestCheck.problem(request("GET", "/caf\u00e9", "x"))).contains(":path");
  }

  @Test
  void aMethodMustBeAToken() {
    assertThat(Http2RequestCheck.problem(request("GE T", "/", "x"))).contains(":method");
    assertThat(Http2RequestCheck.problem(request("", "/", "x"))).contains(":method");
  }

  @Test
  void anAuthorityMustBeAPlainHostAndAgreeWithHost() {
    assertThat(Http2RequestCheck.problem(request("GET", "/", "a b"))).contains(":authority");
    assertThat(Http2RequestCheck.problem(request("GET", "/", "user@host"))).contains(":authority");
    assertThat(Http2RequestCheck.problem(request("GET", "/", ""))).contains(":authority");
    assertThat(Http2RequestCheck.problem(request("GET", "/", "good.example").add("host", "evil.example")))
        .contains("Host");
  }
}
