package dev.gantry.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The chart under test, rendered by the real Helm (its Go library through helm-java) as {@code helm template}
 * would, with a values document written like a user's {@code -f values.yaml}.
 */
final class Chart {

  static final Path DIR = Path.of("gantry").toAbsolutePath();
  static final String RELEASE = "gantry";
  static final String NAMESPACE = "gantry-system";
  /** The Kubernetes version the chart is rendered for (Helm's own default is older than the chart allows). */
  static final String KUBE_VERSION = "1.31.0";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Chart() {
  }

  static Rendered render() {
    return render("");
  }

  /** {@code helm template gantry charts/gantry -n gantry-system -f <values>}, CRDs included. */
  static Rendered render(String valuesYaml) {
    TemplateCommand template = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE)
        .withKubeVersion(KUBE_VERSION);
    if (!valuesYaml.isBlank()) {
      template.withValuesFile(valuesFile(valuesYaml));
    }
    return Rendered.parse(template.call());
  }

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> documents(String yaml) {
    try (var parser = YAML.createParser(yaml)) {
      List<JsonNode> docs = new ArrayList<>();
      for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A values file, as a user's {@code -f values.yaml}. */
  static Path valuesFile(String valuesYaml) {
    try {
      Path file = Files.createTempFile("gantry-values-", ".yaml");
      file.toFile().deleteOnExit();
      return Files.writeString(file, valuesYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
