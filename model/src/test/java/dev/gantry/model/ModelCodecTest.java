package dev.gantry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelCodecTest {

  private static final LoadBalancer SMALL = new LoadBalancer(LoadBalancer.API_VERSION, LoadBalancer.KIND,
      Metadata.named("web", "shop"),
      new LoadBalancerSpec(null, List.of(new Listener("http", 80, Protocol.HTTP, null, null, "web")), null,
          List.of(Backend.ofEndpoints("web", List.of(Endpoint.of("10.0.0.1", 8080)))), null, null),
      null);

  @Test
  void leavesOutWhatIsNotSet() {
    assertThat(ModelCodec.toJson(SMALL)).isEqualTo("{\"apiVersion\":\"gantry.dev/v1alpha1\",\"kind\":\"LoadBalancer\","
        + "\"metadata\":{\"name\":\"shop\",\"namespace\":\"web\"},\"spec\":{\"listeners\":[{\"name\":\"http\","
        + "\"port\":80,\"protocol\":\"HTTP\",\"defaultBackend\":\"web\"}],\"backends\":[{\"name\":\"web\","
        + "\"endpoints\":[{\"address\":\"10.0.0.1\",\"port\":8080}]}]}}");
  }

  @Test
  void writesYamlThatReadsBackAsTheSameStrings() {
    Route route = new Route("r", null, null, null, List.of(new HeaderMatch("X-Flag", "yes"),
        new HeaderMatch("X-Version", "1.10"), new HeaderMatch("X-Null", "null")), null,
        List.of(RouteBackend.of("web")), null, null, null, null, null);
    LoadBalancer lb = new LoadBalancer(SMALL.apiVersion(), SMALL.kind(), SMALL.metadata(),
        new LoadBalancerSpec(null, SMALL.spec().listeners(), List.of(route), SMALL.spec().backends(), null, null), null);

    String yaml = ModelCodec.toYaml(lb);

    assertThat(yaml).startsWith("apiVersion: gantry.dev/v1alpha1\n").doesNotContain("---");
    assertThat(ModelLoader.load("out.yaml", yaml, ValidationMode.STANDALONE).loadBalancers()).containsExactly(lb);
  }

  @Test
  void readsJsonOrNamesEveryFieldItCannotRead() {
    assertThat(ModelCodec.fromJson(ModelCodec.toJson(SMALL))).isEqualTo(SMALL);

    String json = """
        {"apiVersion": "gantry.dev/v1alpha1", "kind": "LoadBalancer",
         "metadata": {"name": "shop", "nmespace": "web"},
         "spec": {"listeners": [{"name": "http", "port": "abc", "protocol": "QUIC"}]}}
        """;
    assertThatThrownBy(() -> ModelCodec.fromJson(json)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("line 2: metadata.nmespace: unknown field \"nmespace\", did you mean \"namespace\"?; "
            + "line 3: spec.listeners[0].port: expected an integer, got \"abc\"; "
            + "line 3: spec.listeners[0].protocol: unknown value \"QUIC\", expected one of HTTP, HTTPS, TCP, TLS");
  }

  @Test
  void mirrorsKeepTheirShareWithItsDecimalsThroughJsonAndYaml() {
    Route route = new Route("r", null, null, null, null, null, null, List.of(RouteBackend.of("web")), null, null,
        null, null, null, null, List.of(new RouteMirror("web", 100.0 / 3), RouteMirror.of("web"),
        new RouteMirror("web", 0.0001)));
    LoadBalancer lb = new LoadBalancer(SMALL.apiVersion(), SMALL.kind(), SMALL.metadata(),
        new LoadBalancerSpec(null, SMALL.spec().listeners(), List.of(route), SMALL.spec().backends(), null, null), null);

    assertThat(ModelCodec.toJson(lb)).contains("\"mirrors\":[{\"backend\":\"web\",\"percent\":33.33333333333333"
        + "6},{\"backend\":\"web\"},{\"backend\":\"web\",\"percent\":1.0E-4}]");
    assertThat(ModelCodec.fromJson(ModelCodec.toJson(lb))).isEqualTo(lb);
    assertThat(ModelLoader.load("out.yaml", ModelCodec.toYaml(lb), ValidationMode.STANDALONE).loadBalancers())
        .containsExactly(lb);
    assertThat(route.mirrors().get(1).percentOrDefault()).isEqualTo(100.0);
  }

  @Test
  void readsJsonWithoutValidatingIt() {
    LoadBalancer lb = ModelCodec.fromJson("{\"metadata\": {\"name\": \"Not A Name\"}}");
    assertThat(lb.metadata().name()).isEqualTo("Not A Name");
    assertThat(lb.spec()).isNull();
  }

  @Test
  void refusesJsonThatIsNotOneObject() {
    assertThatThrownBy(() -> ModelCodec.fromJson("{\"kind\": \"LoadBalancer\",}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line 1: invalid JSON: Unexpected character ('}' (code 125))");
    assertThatThrownBy(() -> ModelCodec.fromJson("{} {}")).hasMessage("expected one JSON object, got 2 documents");
    assertThatThrownBy(() -> ModelCodec.fromJson("")).hasMessage("expected one JSON object, got 0 documents");
    assertThatThrownBy(() -> ModelCodec.fromJson("[]")).hasMessage("line 1: expected an object, got a list");
  }

  @Test
  void handsOutCopiesOfTheConfiguredMappers() throws Exception {
    ObjectMapper mine = ModelCodec.jsonMapper();
    mine.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    assertThat(mine.readValue("{\"name\": \"a\", \"extra\": 1}", RouteBackend.class)).isEqualTo(RouteBackend.of("a"));
    assertThat(ModelCodec.jsonMapper().isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).isTrue();
    assertThat(ModelCodec.yamlMapper().readValue("port: \"8080\"\naddress: a\n", Endpoint.class))
        .isEqualTo(Endpoint.of("a", 8080));
    assertThat(ModelCodec.yamlMapper().writeValueAsString(Map.of("k", "8080"))).isEqualTo("k: \"8080\"\n");
  }
}
