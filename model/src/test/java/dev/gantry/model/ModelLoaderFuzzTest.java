package dev.gantry.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Any text, YAML or JSON, in every validation mode: the loader returns, never throws; each diagnostic sits on
 * a line of the text and names a field unless the document as a whole is wrong; each model it returns is one
 * the validator accepts and that reads back the same after being written out. Seeded with valid models.
 */
class ModelLoaderFuzzTest {

  @FuzzTest(maxDuration = "12s")
  void anyTextGivesValidModelsOrDiagnosticsNamingAField(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    for (ValidationMode mode : ValidationMode.values()) {
      check(text, mode, ModelLoader.load("lb.yaml", text, mode));
    }
  }

  static void check(String text, ValidationMode mode, LoadResult result) {
    int lines = (int) text.lines().count() + 1;
    for (Diagnostic d : result.diagnostics()) {
      assertThat(d.line()).as("line of %s", d).isBetween(1, lines);
      assertThat(d.message()).as("message of %s", d).isNotBlank().doesNotContain("\n", "\r");
      if (d.path().isEmpty()) {
        // only the document as a whole goes without a field: text that does not parse, or is not an object
        assertThat(d.message()).as("a diagnostic naming no field").matches("(invalid |expected an object, got ).*");
      }
    }
    for (LoadBalancer lb : result.loadBalancers()) {
      assertThat(LoadBalancerValidator.validate(lb, mode)).as("problems of a returned model").isEmpty();
      LoadResult again = ModelLoader.load("again.yaml", ModelCodec.toYaml(lb), mode);
      assertThat(again.diagnostics()).as("diagnostics of a returned model, written out").isEmpty();
      assertThat(again.loadBalancers()).as("a returned model, written out and read back").isEqualTo(List.of(lb));
    }
  }
}
