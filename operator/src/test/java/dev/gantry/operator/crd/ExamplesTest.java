package dev.gantry.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.LoadResult;
import dev.gantry.model.ModelLoader;
import dev.gantry.model.ValidationMode;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cluster examples the README points to are valid LoadBalancers for the operator. */
class ExamplesTest {

  @ParameterizedTest
  @ValueSource(strings = {"quickstart.yaml", "https.yaml"})
  void clusterExamplesAreValid(String file) throws IOException {
    LoadResult r = ModelLoader.load(Path.of("..", "examples", "cluster", file), ValidationMode.CLUSTER);
    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.loadBalancers()).hasSize(1);
  }
}
