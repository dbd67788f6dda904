package dev.gantry.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.operator.testing.ControlPlane;
import dev.gantry.operator.testing.ControlPlaneExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code helm install} against the real API server refuses values that break {@code values.schema.json}
 * with a message naming the field, before anything reaches the cluster: no release, not even its namespace.
 */
@ExtendWith(ControlPlaneExtension.class)
class InstallSchemaIT {

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', textBlock = """
      refused-replicas   | replicaCount: two                | at '/replicaCount': got string, want integer
      refused-namespaces | watchNamespaces: [Web_Shop]      | at '/watchNamespaces/0': 'Web_Shop' does not match
      """)
  void refusesInvalidValuesNamingTheField(String name, String values, String message, ControlPlane controlPlane) {
    assertThatThrownBy(() -> InstalledChart.install(controlPlane, name, name, values + "\n"))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(message);

    assertThat(InstalledChart.releasesIn(controlPlane, name)).isEmpty();
    assertThat(controlPlane.admin().namespaces().withName(name).get()).isNull();
  }
}
