package dev.gantry.operator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.LoadBalancer;
import dev.gantry.model.LoadResult;
import dev.gantry.model.ModelCodec;
import dev.gantry.model.ModelLoader;
import dev.gantry.model.SessionLifetime;
import dev.gantry.model.SessionPersistence;
import dev.gantry.model.SessionType;
import dev.gantry.model.ValidationMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A LoadBalancer route's {@code sessionPersistence} reaches the proxies' model as written. */
class SessionPersistenceResolutionTest {

  @Test
  void theServedModelAndItsJsonKeepTheRoutesSessionPersistence() throws Exception {
    LoadBalancer lb = ModelResolverTest.lb("""
        listeners: [{name: http, port: 8080, protocol: HTTP}]
        routes:
        - name: cart
          backends: [{name: web}]
          sessionPersistence: {type: Cookie, name: SERVERID, absoluteTimeout: 8h, idleTimeout: 30m, lifetime: Permanent}
        backends:
        - {name: web, service: {name: web, port: 80}}
        """);
    ClusterRefs refs = new ClusterRefs(Map.of("web", ModelResolverTest.service("web", "http", 80, "ClusterIP")),
        Map.of("web", List.of(ModelResolverTest.slice("web", "http", 8080, "10.0.0.1", "10.0.0.2"))), Map.of());

    Resolution r = ModelResolver.resolve(lb, refs);

    SessionPersistence expected = new SessionPersistence(SessionType.Cookie, "SERVERID", "8h", "30m",
        SessionLifetime.Permanent);
    assertThat(r.findings()).isEmpty();
    assertThat(r.model().spec().routesOrEmpty().get(0).sessionPersistence()).isEqualTo(expected);
    // what the proxies read back from the ConfigMap
    LoadResult read = ModelLoader.load("model.json", ModelCodec.jsonMapper().writeValueAsString(r.model()),
        ValidationMode.STANDALONE);
    assertThat(read.diagnostics()).isEmpty();
    assertThat(read.loadBalancers().get(0).spec().routesOrEmpty().get(0).sessionPersistence()).isEqualTo(expected);
  }
}
