package dev.gantry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The documents the end-to-end suite applies are the YAML it means, checked even where the suite cannot run. */
class ManifestsTest {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void theLoadBalancerHasThreeListenersAndGainsARoute() throws Exception {
    JsonNode before = YAML.readTree(Manifests.loadBalancer(""));
    JsonNode after = YAML.readTree(Manifests.loadBalancer(Manifests.SHOP_ROUTE));

    assertThat(before.at("/spec/listeners").findValuesAsText("protocol")).containsExactly("HTTP", "HTTPS", "TCP");
    assertThat(before.at("/spec/routes")).hasSize(1);
    assertThat(before.at("/spec/routes/0/name").asText()).isEqualTo("beta");
    assertThat(before.at("/spec/backends")).hasSize(3);
    assertThat(before.at("/spec/service/type").asText()).isEqualTo("NodePort");
    assertThat(after.at("/spec/routes")).hasSize(2);
    assertThat(after.at("/spec/routes/1/name").asText()).isEqualTo("shop");
    assertThat(after.at("/spec/routes/1/paths/0/value").asText()).isEqualTo("/shop");
    assertThat(after.at("/spec/backends")).isEqualTo(before.at("/spec/backends"));
  }

  @Test
  void eachBackendIsADeploymentOfTheTestImageAndItsService() throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    YAML.readValues(YAML.createParser(Manifests.backend("alpha", Manifests.backendImage("0.1.0"))), JsonNode.class)
        .forEachRemaining(docs::add);

    assertThat(docs).extracting(d -> d.path("kind").asText()).containsExactly("Deployment", "Service");
    JsonNode container = docs.get(0).at("/spec/template/spec/containers/0");
    assertThat(container.path("image").asText()).isEqualTo("gantry/e2e-backend:0.1.0");
    assertThat(container.path("imagePullPolicy").asText()).isEqualTo("Never");
    assertThat(container.at("/env/0/value").asText()).isEqualTo("alpha");
    assertThat(docs.get(1).at("/spec/ports").findValuesAsText("name")).containsExactly("http", "echo");
  }
}
