package dev.gantry.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldPathTest {

  @Test
  void buildsPathsAsUsersReadThem() {
    String path = FieldPath.field(FieldPath.index(FieldPath.field("spec", "listeners"), 1), "port");
    assertThat(path).isEqualTo("spec.listeners[1].port");
    assertThat(FieldPath.field("", "spec")).isEqualTo("spec");
    assertThat(FieldPath.field("metadata.labels", "app.kubernetes.io/name"))
        .isEqualTo("metadata.labels[\"app.kubernetes.io/name\"]");
    assertThat(FieldPath.field("a", "say \"hi\"")).isEqualTo("a[\"say \\\"hi\\\"\"]");
  }

  @Test
  void anEmptyKeyOfADocumentIsNamedNotMistakenForItsParent() {
    assertThat(FieldPath.key("", "")).isEqualTo("[\"\"]");
    assertThat(FieldPath.key("spec", "")).isEqualTo("spec[\"\"]");
    assertThat(FieldPath.key("spec", "listeners")).isEqualTo("spec.listeners");
    assertThat(ModelLoader.load("lb.yaml", "\"\": 1\n\"\": 2\n", ValidationMode.STANDALONE).diagnostics())
        .anySatisfy(d -> {
          assertThat(d.path()).isEqualTo("[\"\"]");
          assertThat(d.message()).startsWith("duplicate field \"\"");
        });
  }

  @Test
  void walksUpOneFieldAtATime() {
    assertThat(FieldPath.parent("spec.listeners[1].port")).isEqualTo("spec.listeners[1]");
    assertThat(FieldPath.parent("spec.listeners[1]")).isEqualTo("spec.listeners");
    assertThat(FieldPath.parent("spec")).isEmpty();
    assertThat(FieldPath.parent("metadata.labels[\"a.b/c[\\\"x\"]")).isEqualTo("metadata.labels");
  }

  @Test
  void findsTheLineOfTheNearestFieldThatWasWritten() {
    SourceMap lines = new SourceMap(3, Map.of("spec", 7, "spec.listeners", 9, "spec.listeners[0]", 10));

    assertThat(lines.lineOf("spec.listeners[0]")).isEqualTo(10);
    assertThat(lines.lineOf("spec.listeners[0].port")).isEqualTo(10);
    assertThat(lines.lineOf("spec.backends")).isEqualTo(7);
    assertThat(lines.lineOf("metadata.name")).isEqualTo(3);
    assertThat(lines.lineOf("")).isEqualTo(3);
  }
}
