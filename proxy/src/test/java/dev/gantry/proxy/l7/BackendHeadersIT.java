package dev.gantry.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.proxy.testing.Ports;
import dev.gantry.proxy.testing.ProxyFixture;
import dev.gantry.proxy.testing.TestBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A route's backends each with request header changes of their own (Gateway API's RequestHeaderModifier on a
 * backendRef): a request carries the changes of the backend it was sent to, made after the route's.
 */
class BackendHeadersIT {

  static TestBackend blue;
  static TestBackend green;
  static ProxyFixture proxy;
  static int port;

  @BeforeAll
  static void start() {
    blue = TestBackend.start("blue");
    green = TestBackend.start("green");
    port = Ports.free();
    proxy = ProxyFixture.start().apply("""
        apiVersion: gantry.dev/v1alpha1
        kind: LoadBalancer
        metadata: {name: shop, namespace: web}
        spec:
          listeners: [{name: http, port: %d, protocol: HTTP}]
          routes:
          - name: split
            requestHeaders:
              set: {X-Env: route, X-Route: split}
              add: {X-Tag: route}
            backends:
            - name: blue
              requestHeaders:
                set: {Backend: blue, X-Env: blue}
                add: {X-Tag: blue}
                remove: [X-Debug]
            - name: green
              requestHeaders:
                set: {Backend: green}
          backends:
          - {name: blue, endpoints: [%s]}
          - {name: green, endpoints: [%s]}
        """.formatted(port, blue.endpoint(), green.endpoint()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    blue.close();
    green.close();
  }

  @Test
  void eachRequestCarriesTheHeaderChangesOfTheBackendItReachesAfterTheRoutes() {
    for (int i = 0; i < 20; i++) {
      var r = proxy.get(port, "/", "Backend", "client", "X-Debug", "1");
      assertThat(r.statusCode()).isEqualTo(200);
    }

    assertThat(blue.seen()).hasSize(10).allSatisfy(s -> {
      assertThat(s.headers().getAll("Backend")).containsExactly("blue");
      assertThat(s.headers().getAll("X-Env")).containsExactly("blue");
      assertThat(s.headers().getAll("X-Tag")).containsExactly("route", "blue");
      assertThat(s.headers().get("X-Route")).isEqualTo("split");
      assertThat(s.headers().contains("X-Debug")).isFalse();
    });
    assertThat(green.seen()).hasSize(10).allSatisfy(s -> {
      assertThat(s.headers().getAll("Backend")).containsExactly("green");
      assertThat(s.headers().getAll("X-Env")).containsExactly("route");
      assertThat(s.headers().getAll("X-Tag")).containsExactly("route");
      assertThat(s.headers().get("X-Debug")).isEqualTo("1");
    });
  }
}
