package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.Protocol;
import dev.gantry.proxy.config.ListenerRuntime;
import dev.gantry.proxy.config.RouteRedirect;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Location of a redirect on HTTP and HTTPS listeners on ports 80, 443, 8080 and 8443, the cases of Gateway
 * API's port and scheme rules ({@code -} is an unset field).
 */
class RedirectLocationTest {

  @ParameterizedTest(name = "{0} listener on {1}, scheme {2}, port {3} -> {4}")
  @CsvSource(nullValues = "-", value = {
      "HTTP,  80,   -,     -,    http://example.org/p",
      "HTTP,  80,   -,     80,   http://example.org/p",
      "HTTP,  80,   -,     8080, http://example.org:8080/p",
      "HTTP,  80,   https, -,    https://example.org/p",
      "HTTP,  80,   https, 443,  https://example.org/p",
      "HTTP,  80,   https, 8443, https://example.org:8443/p",
      "HTTP,  8080, -,     -,    http://example.org:8080/p",
      "HTTP,  8080, -,     80,   http://example.org/p",
      "HTTP,  8080, https, -,    https://example.org/p",
      "HTTPS, 443,  -,     -,    https://example.org/p",
      "HTTPS, 443,  -,     443,  https://example.org/p",
      "HTTPS, 443,  -,     8443, https://example.org:8443/p",
      "HTTPS, 443,  http,  -,    http://example.org/p",
      "HTTPS, 443,  http,  80,   http://example.org/p",
      "HTTPS, 443,  http,  8080, http://example.org:8080/p",
      "HTTPS, 8443, -,     -,    https://example.org:8443/p",
  })
  void followsThePortAndSchemeRules(Protocol protocol, int listenerPort, String scheme, Integer port,
      String location) {
    RouteRedirect r = new RouteRedirect(HttpResponseStatus.FOUND, scheme, "example.org", port == null ? -1 : port,
        null, null);
    assertThat(RedirectLocation.of(r, listener(protocol, listenerPort), "shop.example.com", "/p", 0))
        .isEqualTo(location);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(nullValues = "-", value = {
      "[::1]:8080,          /a?b, http://[::1]:8080/a?b",
      "Shop.Example.com.,   /a,   http://shop.example.com:8080/a",
      "-,                   /a,   /a",
      "shop.example.com,    *,    http://shop.example.com:8080/",
  })
  void takesTheHostOfTheRequest(String hostHeader, String uri, String location) {
    RouteRedirect r = new RouteRedirect(HttpResponseStatus.FOUND, null, null, -1, null, null);
    assertThat(RedirectLocation.of(r, listener(Protocol.HTTP, 8080), hostHeader, uri, 0)).isEqualTo(location);
  }

  @ParameterizedTest(name = "{0} with path {1}, prefix {2} -> {3}")
  @CsvSource(nullValues = "-", value = {
      "/old/a?x=1, /new, -,    https://h/new?x=1",
      "/old/a?x=1, -,    /new, https://h/new/a?x=1",
      "/old,       -,    /,    https://h/",
      "/old/a,     -,    -,    https://h/old/a",
  })
  void appliesThePathModifierAndKeepsTheQuery(String uri, String path, String prefix, String location) {
    RouteRedirect r = new RouteRedirect(HttpResponseStatus.FOUND, "https", "h", -1, path, prefix);
    assertThat(RedirectLocation.of(r, listener(Protocol.HTTP, 80), "x", uri, "/old".length())).isEqualTo(location);
  }

  private static ListenerRuntime listener(Protocol protocol, int port) {
    return new ListenerRuntime("t", "l", port, protocol, Router.EMPTY, null, null, -1, null);
  }
}
