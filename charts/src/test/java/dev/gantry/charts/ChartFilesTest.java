package dev.gantry.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chart agrees with the rest of the build: the CRD is the generated one in {@code crds/} (run with
 * {@code -Dgantry.crd.update=true} to copy it over), and the default images are the ones the {@code images}
 * profile builds.
 */
class ChartFilesTest {

  static final Path CRD = Path.of("..", "crds", "loadbalancers.gantry.dev.yaml");
  static final Path CHART_CRD = Chart.DIR.resolve("crds").resolve("loadbalancers.gantry.dev.yaml");

  @Test
  void theChartsCrdIsTheGeneratedOne() throws IOException {
    if (Boolean.getBoolean("gantry.crd.update")) {
      Files.copy(CRD, CHART_CRD, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    assertThat(Files.readString(CHART_CRD))
        .as("%s differs from %s; copy it with -Dgantry.crd.update=true", CHART_CRD, CRD)
        .isEqualTo(Files.readString(CRD));
  }

  @Test
  void helmShipsTheCrd() {
    List<JsonNode> crds = Chart.documents(new Helm(Chart.DIR).show().crds().call());

    assertThat(crds).hasSize(1);
    JsonNode crd = crds.get(0);
    assertThat(crd.path("kind").asText()).isEqualTo("CustomResourceDefinition");
    assertThat(crd.at("/metadata/name").asText()).isEqualTo("loadbalancers.gantry.dev");
    assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
    assertThat(crd.at("/spec/names/shortNames/0").asText()).isEqualTo("lb");
    assertThat(crd.at("/spec/versions/0/name").asText()).isEqualTo("v1alpha1");
    assertThat(crd.at("/spec/versions/0/subresources/status").isObject()).isTrue();
  }

  @Test
  void theDefaultImagesAreTheOnesTheBuildMakes() {
    JsonNode chart = Chart.yaml(Chart.DIR.resolve("Chart.yaml"));
    JsonNode values = Chart.yaml(Chart.DIR.resolve("values.yaml"));

    assertThat(chart.path("appVersion").asText()).isEqualTo(property("gantry.images.tag"));
    assertThat(values.at("/image/repository").asText()).isEqualTo(property("gantry.images.operator"));
    assertThat(values.at("/proxy/image/repository").asText()).isEqualTo(property("gantry.images.proxy"));
    assertThat(values.at("/image/tag").asText()).as("empty: the appVersion").isEmpty();
    assertThat(values.at("/proxy/image/tag").asText()).as("empty: the appVersion").isEmpty();
  }

  @Test
  void everyValueIsInTheReadmesTable() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String table = readme.substring(readme.indexOf("### The Helm chart"), readme.indexOf("### Permissions"));
    List<String> undocumented = new java.util.ArrayList<>();
    leaves(Chart.yaml(Chart.DIR.resolve("values.yaml")), "", undocumented, table);

    assertThat(undocumented).as("values missing from README's table (\"The Helm chart\")").isEmpty();
  }

  /** A value is documented when it, or an object holding it (such as {@code resources}), is in the table. */
  private static void leaves(JsonNode node, String path, List<String> undocumented, String table) {
    if (!path.isEmpty() && table.contains("`" + path + "`")) {
      return;
    }
    if (node.isObject() && !node.isEmpty()) {
      node.properties().forEach(f -> leaves(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey(),
          undocumented, table));
    } else {
      undocumented.add(path);
    }
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    assertThat(value).as("system property %s, set by charts/pom.xml", name).isNotBlank();
    return value;
  }
}
